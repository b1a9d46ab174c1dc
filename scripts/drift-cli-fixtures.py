"""Writes two CSV files and scipy's statistics on them, for server/cli/drift-command.test.ts.

Run with Debian's python (python3-scipy): /usr/bin/python3 scripts/drift-cli-fixtures.py
"""
import csv
import json
import pathlib

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

OUT = pathlib.Path(__file__).resolve().parent.parent / "server" / "cli" / "fixtures"
OUT.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(42)

ref = {
    "age": np.round(rng.normal(40, 10, 300), 3),
    "income": np.round(rng.lognormal(10, 0.5, 300), 2),
    "colour": rng.choice(["red", "green", "blue"], 300, p=[0.5, 0.3, 0.2]),
}
cur = {
    "age": np.round(rng.normal(46, 12, 250), 3),
    "income": np.round(rng.lognormal(10, 0.5, 250), 2),
    "colour": rng.choice(["red", "green", "blue", "violet"], 250, p=[0.3, 0.3, 0.3, 0.1]),
}


def write(name, cols, n):
    with open(OUT / name, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(cols))
        for i in range(n):
            w.writerow([cols[c][i] for c in cols])


write("reference.csv", ref, 300)
write("current.csv", cur, 250)

expected = {}
for name in ["age", "income"]:
    ks = stats.ks_2samp(ref[name], cur[name])
    expected[name] = {
        "ks": {"statistic": float(ks.statistic), "pvalue": float(ks.pvalue)},
        "wasserstein": float(stats.wasserstein_distance(ref[name], cur[name])),
    }
cats = sorted(set(ref["colour"]) | set(cur["colour"]))
ref_counts = np.array([np.sum(ref["colour"] == c) for c in cats], dtype=float)
cur_counts = np.array([np.sum(cur["colour"] == c) for c in cats], dtype=float)
# Ferry's chi-square: categories the reference never saw are expected with share 1e-4 (PSI_EPSILON)
# rather than 0, so one unseen value is evidence of drift instead of an infinite statistic.
f_exp = np.maximum(ref_counts / ref_counts.sum(), 1e-4)
chi = stats.chisquare(cur_counts, f_exp=f_exp / f_exp.sum() * cur_counts.sum())
expected["colour"] = {
    "chi2": {"statistic": float(chi.statistic), "pvalue": float(chi.pvalue)},
    "jensenshannon": float(jensenshannon(ref_counts / ref_counts.sum(), cur_counts / cur_counts.sum())),
    "categories": cats,
}
(OUT / "scipy-expected.json").write_text(json.dumps(expected, indent=1))
print("wrote", OUT)
