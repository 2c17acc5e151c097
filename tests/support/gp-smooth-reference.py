"""Reference for tests/unit/search-samplers-smooth.test.ts: the Gaussian-process smoothing of
trial values that tunelab's TPE ranks by under noise (src/core/search/samplers/tpe/smooth.ts),
computed with scipy's Cholesky routines over the same grid of kernel widths and noise shares.

Run: python3 tests/support/gp-smooth-reference.py > tests/support/gp-smooth-reference.json
"""
import json
import math

import numpy as np
from scipy.linalg import cho_factor, cho_solve

LENGTHSCALES = [0.1, 0.2, 0.35, 0.6]
NOISE_RATIOS = [1e-4, 0.01, 0.03, 0.1, 0.3, 1]
CHOICES = ["a", "b"]


def trials(noise):
    """30 trials over x in [0, 1] and a choice of two; the best at x = 0.3 with choice a."""
    out = []
    for i in range(30):
        x = ((i * 0.618034) % 1.0)
        c = CHOICES[i % 2]
        wobble = noise * (((i * 37) % 11) - 5) / 5
        out.append({"x": x, "c": c, "value": (x - 0.3) ** 2 + (0.2 if c == "b" else 0) + wobble})
    return out


def smooth(ts):
    n = len(ts)
    enc = np.array([[t["x"]] + [math.sqrt(0.5) if t["c"] == c else 0 for c in CHOICES] for t in ts])
    order = np.argsort([t["value"] for t in ts], kind="stable")
    y = np.empty(n)
    y[order] = (np.arange(n) + 0.5) / n - 0.5
    d2 = ((enc[:, None, :] - enc[None, :, :]) ** 2).sum(-1)
    clean, noisy, mean = -math.inf, -math.inf, None
    for ell in LENGTHSCALES:
        for ratio in NOISE_RATIOS:
            k = np.exp(-d2 / (2 * ell * ell)) + ratio * np.eye(n)
            c, low = cho_factor(k, lower=True)
            alpha = cho_solve((c, low), y)
            score = -0.5 * n * math.log(y @ alpha / n) - np.log(np.diag(c)).sum()
            if ratio < 0.1:
                clean = max(clean, score)
            elif score > noisy:
                noisy, mean = score, y - ratio * alpha
    return {"evidence": noisy - clean, "smoothed": mean.tolist() if noisy - clean > 1 else None}


cases = {}
for name, noise in [("noisy", 0.3), ("clean", 0.0)]:
    ts = trials(noise)
    cases[name] = {"trials": ts, **smooth(ts)}
print(json.dumps(cases, indent=1))
