"""Reference values for src/core/landscape/trained.ts: filter normalization (numpy, as the
loss-landscape repository's normalize_directions_for_weights with --xignore biasbn, written for
Keras' [in, out] kernels) and PCA of (snapshot - final) rows by sklearn's PCA.

Run (Debian's python3 with python3-sklearn): /usr/bin/python3 tests/support/trained-landscape-reference.py > tests/support/trained-landscape-reference.json
"""
import json

import numpy as np
from sklearn.decomposition import PCA

rng = np.random.default_rng(7)


def filter_normalize(direction, weights, shapes):
    out = []
    for d, w, shape in zip(direction, weights, shapes):
        if len(shape) != 2:
            out.append(np.zeros_like(d))
            continue
        # torch keeps a Linear layer's kernel as [out, in]: its filters are rows, here columns.
        dt = d.reshape(shape).T.copy()
        wt = w.reshape(shape).T
        for f, wf in zip(dt, wt):
            f *= np.linalg.norm(wf) / (np.linalg.norm(f) + 1e-10)
        out.append(dt.T.reshape(-1))
    return out


shapes = [[3, 4], [4], [4, 2], [2]]
weights = [rng.normal(size=int(np.prod(s))).astype(np.float32) for s in shapes]
direction = [rng.normal(size=int(np.prod(s))).astype(np.float32) for s in shapes]
normalized = filter_normalize([d.astype(np.float64) for d in direction], [w.astype(np.float64) for w in weights], shapes)


def pca_case(n, d, drift):
    # A path that drifts towards its end, plus noise: a first axis that clearly leads.
    t = np.linspace(0, 1, n)[:, None]
    final = rng.normal(size=d).astype(np.float32)
    heading = rng.normal(size=d)
    snapshots = (final + (1 - t) * drift * heading + 0.3 * rng.normal(size=(n, d))).astype(np.float32)
    pca = PCA(n_components=2).fit(snapshots.astype(np.float64) - final.astype(np.float64))
    return {
        'snapshots': snapshots.tolist(),
        'final': final.tolist(),
        'components': pca.components_.tolist(),
        'explained': pca.explained_variance_ratio_.tolist(),
    }


print(json.dumps({
    'filterNormalize': {
        'shapes': shapes,
        'weights': [w.tolist() for w in weights],
        'direction': [d.tolist() for d in direction],
        'normalized': [x.tolist() for x in normalized],
    },
    # More rows than dimensions, and fewer: both ways through the PCA.
    'pca': [pca_case(9, 14, 4.0), pca_case(40, 5, 3.0)],
}, indent=1))
