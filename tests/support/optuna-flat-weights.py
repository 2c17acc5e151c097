"""Optuna 3.1's Parzen estimator with every observation weighing 1 (weights=numpy.ones), over 30
observations, where its default weights would let the oldest fade: the reference for
tunelab's flatWeights (tests/unit/search-samplers.test.ts). Writes optuna-flat-weights.json."""
import json
from pathlib import Path

import numpy as np
import optuna
from optuna.distributions import FloatDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters

OBSERVATIONS = [round(((i * 37) % 101) / 10.0 - 5.0, 1) for i in range(30)]
POINTS = [-4.5, 0.0, 1.0, 3.5, 9.5]


def log_pdf(weights):
    parameters = _ParzenEstimatorParameters(
        consider_prior=True, prior_weight=1.0, consider_magic_clip=True, consider_endpoints=False, weights=weights, multivariate=False
    )
    space = {"x": FloatDistribution(-5.0, 10.0)}
    estimator = _ParzenEstimator({"x": np.array(OBSERVATIONS)}, space, parameters)
    return estimator.log_pdf({"x": np.array(POINTS)}).tolist()


out = {
    "optuna": optuna.__version__,
    "observations": OBSERVATIONS,
    "points": POINTS,
    "flat": log_pdf(lambda n: np.ones(n)),
    "default": log_pdf(optuna.samplers._tpe.sampler.default_weights),
}
(Path(__file__).parent / "optuna-flat-weights.json").write_text(json.dumps(out, indent=2) + "\n")
