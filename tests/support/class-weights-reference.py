"""Reference class weights for tests/unit/class-weights.test.ts: scikit-learn's
compute_class_weight('balanced') on label sets of two to five classes, balanced and not.

Run: python3 tests/support/class-weights-reference.py > tests/support/class-weights-reference.json
"""
import json

import numpy as np
from sklearn.utils.class_weight import compute_class_weight


def case(name, labels, classes):
    y = np.array(labels)
    weights = compute_class_weight("balanced", classes=np.arange(classes), y=y)
    return {"name": name, "labels": labels, "classes": classes, "weights": weights.tolist()}


rng = np.random.default_rng(13)
cases = [
    case("three to one", [0, 0, 0, 1], 2),
    case("balanced already", [0, 1, 2, 0, 1, 2], 3),
    case("weather-like", [3] * 88 + [1] * 30 + [2] * 19 + [0] * 9, 4),
    case("drawn, five classes", rng.choice(5, size=500, p=[0.6, 0.2, 0.1, 0.07, 0.03]).tolist(), 5),
]
print(json.dumps(cases, indent=1))
