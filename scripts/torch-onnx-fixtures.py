"""Writes PyTorch-exported ONNX models and PyTorch's own outputs for the edge-agent tests.

Run with Debian's python (python3-torch, python3-onnx): /usr/bin/python3 scripts/torch-onnx-fixtures.py
The outputs are committed, so the tests themselves need no Python.
"""
import json
import pathlib

import torch
from torch import nn

OUT = pathlib.Path(__file__).resolve().parent.parent / "edge-agent" / "fixtures"
OUT.mkdir(parents=True, exist_ok=True)
torch.manual_seed(7)

mlp = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4)).eval()
cnn = nn.Sequential(
    nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64, 3), nn.Softmax(dim=1)
).eval()


def export(model, sample, name):
    path = OUT / f"torch-{name}.onnx"
    kwargs = dict(
        input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
        opset_version=17,
    )
    try:
        torch.onnx.export(model, sample, str(path), dynamo=False, **kwargs)
    except TypeError:  # older torch without the dynamo switch
        torch.onnx.export(model, sample, str(path), **kwargs)
    with torch.no_grad():
        return model(sample).tolist()


mlp_in = torch.randn(5, 8)
cnn_in = torch.randn(3, 1, 8, 8)
expected = {
    "mlp": {"input": mlp_in.tolist(), "output": export(mlp, mlp_in, "mlp")},
    "cnn": {"input": cnn_in.tolist(), "output": export(cnn, cnn_in, "cnn")},
}
(OUT / "torch-expected.json").write_text(json.dumps(expected))
print(f"wrote {OUT}: torch {torch.__version__}")
