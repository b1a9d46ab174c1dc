"""Reference for `npm run bench -- exec`: the MLP 64-128-64-1 trained with PyTorch on CPU.

Same shape, data size, batch (256), optimiser (Adam) and loss (MSE) as the Ferry kernel cell; prints
{"samples_per_s": …, "threads": …}. Debian's /usr/bin/python3 with python3-torch.
"""
import json
import sys
import time

import torch

N = int(sys.argv[1]) if len(sys.argv) > 1 else 16384
EPOCHS = int(sys.argv[2]) if len(sys.argv) > 2 else 3

torch.manual_seed(0)
x = torch.randn(N, 64)
y = x[:, :8].sum(dim=1, keepdim=True)
model = torch.nn.Sequential(
    torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1)
)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.MSELoss()


def epoch():
    perm = torch.randperm(N)
    for i in range(0, N, 256):
        idx = perm[i : i + 256]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()


epoch()  # warm-up
t0 = time.perf_counter()
for _ in range(EPOCHS):
    epoch()
elapsed = time.perf_counter() - t0
print(json.dumps({"samples_per_s": N * EPOCHS / elapsed, "threads": torch.get_num_threads()}))
