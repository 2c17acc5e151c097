"""Reference values for src/core/monitor, from Debian's python3-scipy and python3-numpy.

Run: /usr/bin/python3 tests/support/monitor-reference.py > tests/support/monitor-reference.json
Every sample is written into the JSON (once, by name) with its expected numbers, so the TypeScript test reads
both and needs no Python.
"""
import json
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

rng = np.random.default_rng(16)


def rounded(values, digits=3):
    """Samples with few decimals, so ties happen as they do in real columns."""
    return [float(v) for v in np.round(values, digits)]


def psi_reference(reference, current, bins=10):
    ref = np.asarray(reference, dtype=float)
    cur = np.asarray(current, dtype=float)
    edges = np.quantile(ref, [i / bins for i in range(bins + 1)])
    inner = edges[1:-1]
    # Bin i holds edge[i-1] < v <= edge[i]; the first bin is open below, the last above.
    r = np.bincount(np.searchsorted(inner, ref, side="left"), minlength=bins) / len(ref)
    c = np.bincount(np.searchsorted(inner, cur, side="left"), minlength=bins) / len(cur)
    r = np.maximum(r, 1e-4)
    c = np.maximum(c, 1e-4)
    return float(np.sum((c - r) * np.log(c / r)))


def z_reference(ref_counts, cur_counts):
    n1, n2 = sum(ref_counts), sum(cur_counts)
    p1, p2 = ref_counts[1] / n1, cur_counts[1] / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return float(z), float(2 * (1 - stats.norm.cdf(abs(z))))


pairs = [
    ("small equal", rounded(rng.normal(0, 1, 12)), rounded(rng.normal(0.3, 1, 15))),
    ("small shifted", rounded(rng.normal(0, 1, 30)), rounded(rng.normal(1.5, 1, 25))),
    ("ties", [float(v) for v in rng.integers(0, 8, 80)], [float(v) for v in rng.integers(1, 9, 60)]),
    ("medium same", rounded(rng.normal(5, 2, 300)), rounded(rng.normal(5, 2, 250))),
    ("medium scaled", rounded(rng.normal(5, 2, 400)), rounded(rng.normal(5, 2.6, 350))),
    ("medium shifted", rounded(rng.normal(0, 1, 500)), rounded(rng.normal(0.25, 1, 400))),
    ("large", rounded(rng.exponential(1, 3000)), rounded(rng.exponential(1.05, 2500))),
    ("disjoint", rounded(rng.uniform(0, 1, 40)), rounded(rng.uniform(2, 3, 50))),
    ("skewed", rounded(rng.lognormal(0, 1, 200)), rounded(rng.lognormal(0.1, 1.2, 180))),
]

ks = []
for name, a, b in pairs:
    r = stats.ks_2samp(a, b, method="asymp")
    ks.append({"name": name, "statistic": float(r.statistic), "pValue": float(r.pvalue)})

# The one-sample two-sided distribution over every branch of Simard & L'Ecuyer's method.
kstwo = []
for n in [1, 2, 5, 10, 37, 100, 140, 141, 400, 1000, 5000, 20000, 100001, 250000]:
    for x in [0.004, 0.01, 0.02, 0.05, 0.08, 0.12, 0.2, 0.3, 0.45, 0.5, 0.6, 0.8, 0.95]:
        kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
    for x in [0.6 / n, 0.9 / n, 1.5 / n]:
        if x < 1:
            kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})

tables = [
    ([30, 50, 20], [10, 30, 60]),
    ([12, 15], [14, 11]),
    ([5, 0, 7, 9], [3, 4, 0, 8]),
    ([100, 200, 300, 50, 25], [110, 190, 320, 45, 40]),
    ([1, 2, 3], [300, 2, 1]),
    ([40, 0, 60], [45, 0, 55]),
]
chi = []
for ref, cur in tables:
    kept = [(r, c) for r, c in zip(ref, cur) if r + c > 0]
    table = np.array(kept).T
    s, p, dof, _ = stats.chi2_contingency(table, correction=False)
    chi.append({"reference": ref, "current": cur, "statistic": float(s), "pValue": float(p)})

psis = []
for name, a, b in pairs:
    psis.append({"name": name, "bins": 10, "psi": psi_reference(a, b)})
    psis.append({"name": name, "bins": 5, "psi": psi_reference(a, b, 5)})

wass = []
for name, a, b in pairs:
    wd = stats.wasserstein_distance(a, b) / max(np.std(a), 0.001)
    wass.append({"name": name, "distance": float(wd)})

js = []
for ref, cur in tables:
    js.append({"reference": ref, "current": cur, "distance": float(distance.jensenshannon(np.array(ref, float), np.array(cur, float), 2))})

z = []
for ref, cur in [([40, 60], [55, 45]), ([10, 90], [12, 88]), ([300, 700], [200, 800]), ([3, 5], [6, 1])]:
    statistic, p = z_reference(ref, cur)
    z.append({"reference": ref, "current": cur, "statistic": statistic, "pValue": p})

quantiles = []
for name, a, _ in pairs[:4]:
    qs = [i / 10 for i in range(11)] + [0.25, 0.333, 0.975]
    quantiles.append({"name": name, "q": qs, "quantiles": [float(v) for v in np.quantile(np.array(a), qs)]})

json.dump(
    {
        "versions": {"scipy": scipy.__version__, "numpy": np.__version__, "python": sys.version.split()[0]},
        "samples": {name: {"reference": a, "current": b} for name, a, b in pairs},
        "ks2": ks,
        "kstwo": kstwo,
        "chiSquare": chi,
        "psi": psis,
        "wasserstein": wass,
        "jensenShannon": js,
        "zTest": z,
        "quantiles": quantiles,
    },
    sys.stdout,
)
