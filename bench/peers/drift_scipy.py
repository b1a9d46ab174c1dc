"""scipy's side of `npm run bench -- edge`: the same drift statistics on the same float64 files.

argv: directory features rows. Prints one JSON line: seconds per statistic and the KS statistics.
Run with Debian's python (python3-scipy): /usr/bin/python3.
"""
import json
import sys
import time

import numpy as np
from scipy import stats

directory, features, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ks_s = w_s = psi_s = 0.0
ks_stats = []
for j in range(features):
    ref = np.fromfile(f"{directory}/ref-{j}.f64", dtype="<f8", count=rows)
    cur = np.fromfile(f"{directory}/cur-{j}.f64", dtype="<f8", count=rows)
    t = time.perf_counter()
    ks = stats.ks_2samp(ref, cur)
    ks_s += time.perf_counter() - t
    ks_stats.append([float(ks.statistic), float(ks.pvalue)])
    t = time.perf_counter()
    stats.wasserstein_distance(ref, cur)
    w_s += time.perf_counter() - t
    t = time.perf_counter()
    cuts = np.quantile(ref, np.linspace(0, 1, 11))
    inner = cuts[1:-1]
    r = np.bincount(np.searchsorted(inner, ref, side="right"), minlength=10) / rows
    c = np.bincount(np.searchsorted(inner, cur, side="right"), minlength=10) / rows
    r = np.maximum(r, 1e-4)
    c = np.maximum(c, 1e-4)
    float(np.sum((c - r) * np.log(c / r)))
    psi_s += time.perf_counter() - t
print(json.dumps({"ks": ks_s, "wasserstein": w_s, "psi": psi_s, "ksStats": ks_stats, "scipy": __import__("scipy").__version__}))
