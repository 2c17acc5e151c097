"""Reference values for tests/unit/search-multi.test.ts from Debian's python3-optuna 3.1.

Random point sets with two and three objectives (some maximized): Optuna's fronts
(NSGAIISampler._fast_non_dominated_sort), its elite selection (_select_elite_population:
fronts, then crowding distance), and the hypervolume of the points after the direction flip
(optuna._hypervolume.WFG) for a reference point beyond every point.

Run: /usr/bin/python3 tests/support/multi-objective-reference.py > tests/support/multi-objective-reference.json
"""
import json
from types import SimpleNamespace

import numpy as np
import optuna
from optuna._hypervolume import WFG
from optuna.study import StudyDirection
from optuna.trial import TrialState

rng = np.random.RandomState(2026)
cases = []
for objectives, directions in [(2, ["minimize", "minimize"]), (2, ["maximize", "minimize"]), (3, ["minimize", "minimize", "minimize"]), (3, ["minimize", "maximize", "minimize"])]:
    for n in (12, 40):
        # Integers on a small grid give duplicates and shared coordinates, as parameter counts do.
        values = rng.randint(0, 9, size=(n, objectives)).astype(float) if n == 12 else rng.uniform(0, 1, size=(n, objectives))
        study_dirs = [StudyDirection.MINIMIZE if d == "minimize" else StudyDirection.MAXIMIZE for d in directions]
        trials = [SimpleNamespace(number=i, values=list(v), state=TrialState.COMPLETE) for i, v in enumerate(values)]
        fronts = optuna.samplers.NSGAIISampler()._fast_non_dominated_sort(list(trials), study_dirs)
        elite_size = n // 2
        if n == 40:
            # Optuna breaks ties among the infinite crowding distances of a front's ends by its
            # sort order: grow the elite until the front it cuts keeps all of its ends.
            while True:
                taken = 0
                for front in fronts:
                    if taken + len(front) >= elite_size:
                        break
                    taken += len(front)
                ends = set()
                for k in range(objectives):
                    column = [t.values[k] for t in front]
                    if max(column) > min(column):
                        ends |= {t.number for t in front if t.values[k] in (max(column), min(column))}
                if elite_size - taken >= len(ends):
                    break
                elite_size += 1
        sampler = optuna.samplers.NSGAIISampler(population_size=elite_size)
        elite = sampler._select_elite_population(SimpleNamespace(directions=study_dirs), list(trials)) if n == 40 else None
        flipped = np.array([[(-x if d == "maximize" else x) for x, d in zip(v, directions)] for v in values])
        reference = flipped.max(axis=0) + 1.0
        cases.append(
            {
                "directions": directions,
                "values": values.tolist(),
                "fronts": [sorted(t.number for t in front) for front in fronts],
                "eliteSize": elite_size if elite is not None else None,
                "elite": sorted(t.number for t in elite) if elite is not None else None,
                "reference": reference.tolist(),
                "hypervolume": float(WFG().compute(flipped, reference)),
            }
        )
print(json.dumps({"optuna": optuna.__version__, "cases": cases}, indent=1))
