#!/usr/bin/python3
"""Writes core/drift/fixtures/scipy.json: inputs and scipy's answers for the core/drift tests.

Run with Debian's python and scipy (apt-get install -y python3-scipy):
    /usr/bin/python3 scripts/drift-fixtures.py

Small samples are stored as values. Large ones are stored as a generator spec that the TypeScript tests
replay exactly: a 32-bit LCG and Irwin-Hall sums use only +, *, / and floor, which are bit-identical in
IEEE doubles in both languages, so the JSON stays small while exercising scipy's asymptotic paths.
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

OUT = os.path.join(os.path.dirname(__file__), '..', 'core', 'drift', 'fixtures', 'scipy.json')


def lcg_uniforms(seed, count):
    s = seed & 0xFFFFFFFF
    out = []
    for _ in range(count):
        s = (1664525 * s + 1013904223) & 0xFFFFFFFF
        out.append(s / 4294967296.0)
    return out


def generate(spec):
    """Irwin-Hall(4) approximately-normal values: shift + scale * (u1+u2+u3+u4 - 2), optionally floored to a grid."""
    u = lcg_uniforms(spec['seed'], 4 * spec['n'])
    values = []
    for i in range(spec['n']):
        z = ((u[4 * i] + u[4 * i + 1]) + (u[4 * i + 2] + u[4 * i + 3])) - 2.0
        x = spec['shift'] + spec['scale'] * z
        if spec.get('grid'):
            x = math.floor(x / spec['grid']) * spec['grid']
        values.append(x)
    return values


def sample(seed, n, shift=0.0, scale=1.0, grid=None):
    spec = {'kind': 'irwin-hall-lcg', 'seed': seed, 'n': n, 'shift': shift, 'scale': scale}
    if grid:
        spec['grid'] = grid
    return spec


rng = np.random.default_rng(20240601)


def literal(values):
    return [float(v) for v in values]


pairs = []


def pair(name, a, b):
    av = generate(a) if isinstance(a, dict) else a
    bv = generate(b) if isinstance(b, dict) else b
    ks = stats.ks_2samp(av, bv)  # method='auto', two-sided
    pairs.append({
        'name': name,
        'a': a,
        'b': b,
        'ks': {'statistic': float(ks.statistic), 'pvalue': float(ks.pvalue)},
        'wasserstein': float(stats.wasserstein_distance(av, bv)),
    })


# Exact path (both samples <= 10000).
pair('tiny 1 vs 3', [0.5], [0.1, 0.7, 0.9])
pair('tiny 3 vs 3', [1.0, 2.0, 3.0], [1.5, 2.5, 3.5])
pair('tiny 5 vs 7', literal(rng.normal(size=5)), literal(rng.normal(0.5, 1, size=7)))
pair('identical', [1.0, 2.0, 2.0, 3.0], [1.0, 2.0, 2.0, 3.0])
pair('small normals 20 vs 25', literal(rng.normal(size=20)), literal(rng.normal(0.4, 1, size=25)))
pair('equal sizes 50 vs 50', literal(rng.normal(size=50)), literal(rng.normal(0.2, 1.3, size=50)))
pair('equal sizes 400 vs 400 shifted', literal(rng.normal(size=400)), literal(rng.normal(0.5, 1, size=400)))
pair('ties 300 vs 200', literal(np.round(rng.normal(size=300) * 3)), literal(np.round(rng.normal(0.3, 1, size=200) * 3)))
pair('shifted 1000 vs 800', literal(rng.normal(size=1000)), literal(rng.normal(0.3, 1, size=800)))
pair('same distribution 997 vs 1000', literal(rng.exponential(size=997)), literal(rng.exponential(size=1000)))
pair('exact 5000 vs 5000 shift', sample(11, 5000), sample(12, 5000, shift=0.05))
pair('exact 10000 vs 9999', sample(13, 10000), sample(14, 9999, shift=0.02))
pair('exact 3000 vs 2000 large shift', sample(15, 3000), sample(16, 2000, shift=0.5))
# Asymptotic path (a sample above 10000), which goes through kstwo.sf(d, round(n1 n2 / (n1 + n2))).
pair('asymp 20000 vs 15000 same', sample(21, 20000), sample(22, 15000))
pair('asymp 50000 vs 30000 shift', sample(23, 50000), sample(24, 30000, shift=0.03))
pair('asymp 40000 vs 40000 big shift', sample(25, 40000), sample(26, 40000, shift=0.1))
pair('asymp 12000 vs 50', sample(27, 12000), sample(28, 50, shift=0.2))
pair('asymp 12000 vs 120', sample(29, 12000), sample(30, 120, shift=0.5))
pair('asymp 15000 vs 3', sample(31, 15000), [0.1, 0.2, 0.3])
pair('asymp ties 30000 vs 20000', sample(33, 30000, grid=0.25), sample(34, 20000, shift=0.01, grid=0.25))
pair('asymp 200000 vs 150000', sample(35, 200000), sample(36, 150000, shift=0.004))

# The distributions behind the asymptotic p-value, on every branch of scipy's method choice.
kstwo = []
for n in [1, 2, 5, 10, 50, 100, 140, 141, 500, 1000, 5000, 20000, 100000, 100001, 400000]:
    for d in [0.3 / n, 0.75 / n, 1.0 / n, 0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 1 - 1.0 / n, 0.999]:
        if 0 <= d <= 1:
            kstwo.append({'n': n, 'd': d, 'sf': float(stats.kstwo.sf(d, n))})
for n in [9000, 25000, 90000]:
    for z in [0.3, 0.6, 0.9, 1.2, 1.5, 2.0, 3.0, 5.0]:
        kstwo.append({'n': n, 'd': z / math.sqrt(n), 'sf': float(stats.kstwo.sf(z / math.sqrt(n), n))})

smirnov = []
for n in [2, 3, 10, 100, 1012, 1013, 5000, 100000, 1000000, 1000001, 3000000]:
    for x in [0.5 / n, 1.0 / n, 0.4 / math.sqrt(n), 1.0 / math.sqrt(n), 2.0 / math.sqrt(n), 0.01, 0.1, 0.3, 0.6, 1 - 0.5 / n]:
        if 0 <= x <= 1:
            smirnov.append({'n': n, 'x': x, 'sf': float(special.smirnov(n, x))})

chi2 = []


def chi(name, observed, expected_freq):
    observed = np.asarray(observed, dtype=float)
    f = np.asarray(expected_freq, dtype=float)
    res = stats.chisquare(observed, f_exp=f / f.sum() * observed.sum())
    chi2.append({'name': name, 'observed': literal(observed), 'expected': literal(f), 'statistic': float(res.statistic), 'pvalue': float(res.pvalue)})


chi('two categories', [48, 52], [0.5, 0.5])
chi('five categories close', [102, 98, 95, 110, 95], [1, 1, 1, 1, 1])
chi('five categories drifted', [150, 80, 95, 110, 65], [0.2, 0.2, 0.2, 0.2, 0.2])
chi('unequal expected', [30, 14, 34, 45, 57, 20], [0.1, 0.1, 0.15, 0.2, 0.3, 0.15])
chi('very significant', [5000, 100, 100], [1, 1, 1])
chi('fifty categories', rng.poisson(100, size=50).tolist(), rng.uniform(0.5, 1.5, size=50).tolist())
probs = rng.uniform(0.5, 1.5, size=400)
chi('four hundred categories same', rng.multinomial(80000, probs / probs.sum()).tolist(), probs.tolist())
chi('four hundred categories drifted', rng.poisson(200, size=400).tolist(), rng.uniform(0.5, 1.5, size=400).tolist())
chi('large a near mode', rng.multinomial(1000000, np.full(2000, 1 / 2000)).tolist(), [1] * 2000)

gammainc = []
for a in [0.5, 1, 2.5, 10, 49.5, 199.5, 1000, 20000]:
    for ratio in [0.01, 0.5, 0.9, 1.0, 1.1, 2.0, 5.0]:
        x = a * ratio
        gammainc.append({'a': a, 'x': x, 'q': float(special.gammaincc(a, x)), 'p': float(special.gammainc(a, x))})

js = []


def jensen(name, p, q, base=None):
    value = distance.jensenshannon(p, q, base=base)
    js.append({'name': name, 'p': literal(p), 'q': literal(q), 'base': base, 'distance': float(value)})


jensen('identical', [0.25, 0.25, 0.5], [0.25, 0.25, 0.5])
jensen('counts, not normalized', [10, 20, 30, 40], [40, 30, 20, 10])
jensen('zero bins', [0.5, 0.5, 0.0], [0.0, 0.5, 0.5])
jensen('disjoint', [1, 0], [0, 1])
jensen('base 2', [0.1, 0.2, 0.7], [0.3, 0.3, 0.4], base=2)
jensen('deciles', [0.1] * 10, literal(rng.dirichlet(np.ones(10))))
jensen('many bins', literal(rng.uniform(size=500)), literal(rng.uniform(size=500)))

fixture = {
    'generatedBy': 'scripts/drift-fixtures.py',
    'scipy': scipy.__version__,
    'numpy': np.__version__,
    'lcg': 'state = (1664525*state + 1013904223) mod 2^32, u = state / 2^32; x = shift + scale*((u1+u2)+(u3+u4) - 2), floored to grid if given',
    'pairs': pairs,
    'kstwo': kstwo,
    'smirnov': smirnov,
    'chi2': chi2,
    'gammainc': gammainc,
    'jensenshannon': js,
}
with open(OUT, 'w') as f:
    json.dump(fixture, f, separators=(',', ':'), allow_nan=True)
print(f'wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)')
