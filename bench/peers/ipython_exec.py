"""Reference for `npm run bench -- exec`: an IPython kernel driven by jupyter_client.

Prints one JSON object: first-output round trips (ms) for a trivial cell on one kernel, and the
throughput of trivial cells through 4 kernels at once. Runs under Debian's /usr/bin/python3
(python3-ipykernel, python3-jupyter-client).
"""
import json
import sys
import time
from queue import Empty

from jupyter_client.manager import start_new_kernel

REPEAT = int(sys.argv[1]) if len(sys.argv) > 1 else 50
JOBS = int(sys.argv[2]) if len(sys.argv) > 2 else 200


def first_output(kc, code):
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] in ("stream", "execute_result", "display_data", "error"):
            return (time.perf_counter() - t0) * 1000.0


def drain_until_idle(kc, msg_ids):
    left = set(msg_ids)
    while left:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            left.discard(msg["parent_header"].get("msg_id"))


def main():
    km, kc = start_new_kernel(kernel_name="python3")
    try:
        for _ in range(5):
            first_output(kc, "print('hi')")
        latencies = [first_output(kc, "print('hi')") for _ in range(REPEAT)]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    kernels = [start_new_kernel(kernel_name="python3") for _ in range(4)]
    try:
        for _, kc in kernels:
            first_output(kc, "print('warm')")
        t0 = time.perf_counter()
        ids = [[] for _ in kernels]
        for i in range(JOBS):
            ids[i % 4].append(kernels[i % 4][1].execute(f"x = {i}\nprint(x)"))
        for (_, kc), mine in zip(kernels, ids):
            drain_until_idle(kc, mine)
        elapsed = time.perf_counter() - t0
    finally:
        for km, kc in kernels:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    print(json.dumps({"latencies_ms": latencies, "jobs": JOBS, "jobs_seconds": elapsed}))


if __name__ == "__main__":
    main()
