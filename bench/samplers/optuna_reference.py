"""Optuna 3.1's reference numbers for the sampler suite (bench/samplers/functions.ts).

The same problems (same formulas, same lookup tables, same noise sequence), the same protocol:
for each seed, a study of 100 trials; the best regret after 50 and after 100 trials (for a
noisy problem, the noise-free value of the trial that looked best, minus the minimum); the
median over the seeds. For Optuna's default TPESampler and its RandomSampler.

    nice -n 19 python3 bench/samplers/optuna_reference.py            # seeds 0-19, writes optuna-reference.json
    nice -n 19 python3 bench/samplers/optuna_reference.py 1000 1020  # other seeds, printed only
    nice -n 19 python3 bench/samplers/optuna_reference.py 1000 1060 --only=Conditional --samplers=tpe,tpe_group --per-seed
                                                                     # one problem, chosen samplers, every seed's regrets too
"""

import json
import math
import os
import statistics
import sys
import warnings

import optuna

HERE = os.path.dirname(os.path.abspath(__file__))
TRIALS = 100
CHECKPOINTS = [50, 100]

# Branin and Hartmann6.


def branin(p):
    x1, x2 = p["x1"], p["x2"]
    b = 5.1 / (4 * math.pi**2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


H_ALPHA = [1.0, 1.2, 3.0, 3.2]
H_A = [
    [10, 3, 17, 3.5, 1.7, 8],
    [0.05, 10, 17, 0.1, 8, 14],
    [3, 3.5, 1.7, 10, 17, 8],
    [17, 8, 0.05, 10, 0.1, 14],
]
H_P = [
    [x * 1e-4 for x in row]
    for row in [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
]


def hartmann6(p):
    total = 0.0
    for i in range(4):
        inner = sum(H_A[i][j] * (p[f"x{j}"] - H_P[i][j]) ** 2 for j in range(6))
        total += H_ALPHA[i] * math.exp(-inner)
    return -total


def suggest_branin(trial):
    return {"x1": trial.suggest_float("x1", -5, 10), "x2": trial.suggest_float("x2", 0, 15)}


def suggest_hartmann6(trial):
    return {f"x{i}": trial.suggest_float(f"x{i}", 0, 1) for i in range(6)}


# Mixed, Mixed 8-D, Conditional, Integer.

OPTIMIZERS = ["sgd", "momentum", "adam", "rmsprop"]
OPTIMIZER_BASE = [0.12, 0.06, 0, 0.03]
OPTIMIZER_LOG_LR = [-0.5, -1.5, -3, -2.5]
ACTIVATIONS = ["tanh", "relu", "gelu"]


def suggest_mixed(trial):
    return {
        "optimizer": trial.suggest_categorical("optimizer", OPTIMIZERS),
        "lr": trial.suggest_float("lr", 1e-5, 1, log=True),
        "width": trial.suggest_int("width", 8, 512, log=True),
        "dropout": trial.suggest_float("dropout", 0, 0.5),
    }


def mixed(p):
    o = OPTIMIZERS.index(p["optimizer"])
    w = math.log2(p["width"])
    return OPTIMIZER_BASE[o] + 0.08 * (math.log10(p["lr"]) - OPTIMIZER_LOG_LR[o]) ** 2 + 0.01 * (w - 7) ** 2 + 0.5 * (p["dropout"] - 0.05 * (w - 3)) ** 2


def suggest_mixed_large(trial):
    p = suggest_mixed(trial)
    p["activation"] = trial.suggest_categorical("activation", ACTIVATIONS)
    p["depth"] = trial.suggest_int("depth", 1, 6)
    p["l2"] = trial.suggest_float("l2", 1e-6, 0.1, log=True)
    p["batch"] = trial.suggest_int("batch", 8, 512, log=True)
    return p


def mixed_large(p):
    o = OPTIMIZERS.index(p["optimizer"])
    w = math.log2(p["width"])
    b = math.log2(p["batch"])
    d = p["depth"]
    act = [0.04 + 0.02 * (d - 2) ** 2, 0.005 + 0.01 * (d - 3) ** 2, 0.01 * (d - 4) ** 2][ACTIVATIONS.index(p["activation"])]
    best_log_lr = OPTIMIZER_LOG_LR[o] + 0.3 * (b - 6)
    return (
        OPTIMIZER_BASE[o] + act + 0.08 * (math.log10(p["lr"]) - best_log_lr) ** 2 + 0.005 * (b - 6) ** 2
        + 0.01 * (w - 7) ** 2 + 0.5 * (p["dropout"] - 0.05 * (w - 3)) ** 2 + 0.01 * (math.log10(p["l2"]) + 4) ** 2
    )


def suggest_conditional(trial):
    p = {"optimizer": trial.suggest_categorical("optimizer", ["sgd", "momentum", "adam"])}
    p["lr"] = trial.suggest_float("lr", 1e-5, 1, log=True)
    if p["optimizer"] == "momentum":
        p["momentum"] = trial.suggest_float("momentum", 0, 0.99)
    if p["optimizer"] == "adam":
        p["beta1"] = trial.suggest_float("beta1", 0.5, 0.99)
    p["schedule"] = trial.suggest_categorical("schedule", ["constant", "cosine"])
    if p["schedule"] == "cosine":
        p["warmup"] = trial.suggest_int("warmup", 0, 20)
    return p


def conditional(p):
    lr = math.log10(p["lr"])
    if p["optimizer"] == "sgd":
        value = 0.1 + 0.08 * (lr + 1) ** 2
    elif p["optimizer"] == "momentum":
        m = p["momentum"]
        value = 0.02 + 0.08 * (lr + 1 + 2 * m) ** 2 + 0.3 * (m - 0.9) ** 2
    else:
        value = 0.08 * (lr + 3) ** 2 + 0.5 * (p["beta1"] - 0.85) ** 2
    return value + (0.03 if p["schedule"] == "constant" else 0.001 * (p["warmup"] - 5) ** 2)


def suggest_integer(trial):
    return {
        "layers": trial.suggest_int("layers", 1, 8),
        "width": trial.suggest_int("width", 4, 1024, log=True),
        "batch": trial.suggest_int("batch", 8, 1024, log=True),
        "epochs": trial.suggest_int("epochs", 10, 200, step=10),
        "kernel": trial.suggest_int("kernel", 1, 9, step=2),
        "heads": trial.suggest_int("heads", 1, 16),
        "dropout": trial.suggest_float("dropout", 0, 0.5),
    }


def integer_heavy(p):
    layers = p["layers"] - 3
    width = math.log2(p["width"] / 96)
    return (
        0.02 * layers**2 + 0.02 * width**2 + 0.02 * abs(layers * width) + 0.01 * math.log2(p["batch"] / 48) ** 2
        + 0.02 * ((p["epochs"] - 80) / 40) ** 2 + 0.005 * (p["kernel"] - 5) ** 2 + 0.002 * (p["heads"] - 6) ** 2
        + 0.5 * (p["dropout"] - 0.1) ** 2
    )


# The tabulated real objectives, interpolated as bench/samplers/lookup.ts does.


def load_table(name):
    with open(os.path.join(HERE, "tables", f"{name}.json")) as f:
        return json.load(f)


def lookup(table, point):
    axes = table["axes"]

    def scale(a, x):
        return math.log(x) if a["log"] else x

    cells = []
    for a in axes:
        vs = a["values"]
        x = min(scale(a, vs[-1]), max(scale(a, vs[0]), scale(a, point[a["name"]])))
        i = 0
        while i < len(vs) - 2 and scale(a, vs[i + 1]) <= x:
            i += 1
        lo, hi = scale(a, vs[i]), scale(a, vs[i + 1])
        cells.append((i, (x - lo) / (hi - lo)))
    total = 0.0
    for corner in range(1 << len(cells)):
        weight = 1.0
        index = 0
        for d, (i, f) in enumerate(cells):
            up = (corner >> d) & 1
            weight *= f if up else 1 - f
            index = index * len(axes[d]["values"]) + i + up
        if weight > 0:
            total += weight * table["values"][index]
    return total


def tabulated(name, label):
    table = load_table(name)

    def suggest(trial):
        return {a["name"]: trial.suggest_float(a["name"], a["values"][0], a["values"][-1], log=a["log"]) for a in table["axes"]}

    return {"name": label, "suggest": suggest, "evaluate": lambda p: lookup(table, p), "minimum": min(table["values"])}


# Noise, as noiseOf in functions.ts.


def hash32(x):
    x &= 0xFFFFFFFF
    x ^= x >> 16
    x = (x * 0x7FEB352D) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x846CA68B) & 0xFFFFFFFF
    return x ^ (x >> 16)


def noise_of(seed, trial):
    def u(j):
        return (hash32(seed * 1000003 + trial * 2 + j) + 0.5) / 2**32

    return math.sqrt(-2 * math.log(u(0))) * math.cos(2 * math.pi * u(1))


SUITE = [
    {"name": "Branin", "suggest": suggest_branin, "evaluate": branin, "minimum": 0.397887},
    {"name": "Hartmann6", "suggest": suggest_hartmann6, "evaluate": hartmann6, "minimum": -3.32237},
    {"name": "Mixed", "suggest": suggest_mixed, "evaluate": mixed, "minimum": 0},
    {"name": "Mixed 8-D", "suggest": suggest_mixed_large, "evaluate": mixed_large, "minimum": 0},
    {"name": "Conditional", "suggest": suggest_conditional, "evaluate": conditional, "minimum": 0},
    {"name": "Integer", "suggest": suggest_integer, "evaluate": integer_heavy, "minimum": 0},
    {"name": "Mixed noisy", "suggest": suggest_mixed, "evaluate": mixed, "minimum": 0, "noise": 0.03},
    {"name": "Hartmann6 noisy", "suggest": suggest_hartmann6, "evaluate": hartmann6, "minimum": -3.32237, "noise": 0.2},
    tabulated("spiral", "Spiral study"),
    tabulated("penguins", "Penguins study"),
]


def run(problem, sampler, seed):
    """The best regret after each checkpoint of one study."""
    noise = problem.get("noise", 0)
    truths = []

    def objective(trial):
        p = problem["suggest"](trial)
        truth = problem["evaluate"](p)
        truths.append(truth)
        return truth + noise * noise_of(seed, trial.number) if noise else truth

    study = optuna.create_study(sampler=sampler)
    study.optimize(objective, n_trials=TRIALS)
    values = [t.value for t in study.trials]
    out = []
    for c in CHECKPOINTS:
        best = min(range(c), key=lambda k: values[k])
        out.append(truths[best] - problem["minimum"])
    return out


SAMPLERS = {
    "tpe": lambda s: optuna.samplers.TPESampler(seed=s),
    "random": lambda s: optuna.samplers.RandomSampler(seed=s),
    # Not in the reference: Optuna's joint TPE over groups of parameters that occur together.
    "tpe_group": lambda s: optuna.samplers.TPESampler(seed=s, multivariate=True, group=True),
}


def main():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
    positional = [a for a in sys.argv[1:] if not a.startswith("--")]
    options = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "") for a in sys.argv[1:] if a.startswith("--"))
    first, end = (int(positional[0]), int(positional[1])) if len(positional) > 1 else (0, 20)
    labels = options.get("samplers", "tpe,random").split(",")
    suite = [p for p in SUITE if p["name"] == options["only"]] if "only" in options else SUITE
    result = {"optuna": optuna.__version__, "seeds": [first, end - 1], "trials": TRIALS, "checkpoints": CHECKPOINTS, "median_best_regret": {}}
    for problem in suite:
        row = {}
        for label in labels:
            runs = [run(problem, SAMPLERS[label](seed), seed) for seed in range(first, end)]
            row[label] = [float(f"{statistics.median(r[i] for r in runs):.4g}") for i in range(len(CHECKPOINTS))]
            if "per-seed" in options:
                for i, c in enumerate(CHECKPOINTS):
                    print(f"{problem['name']} {label} @{c}:", " ".join(f"{r[i]:.3g}" for r in runs), flush=True)
        result["median_best_regret"][problem["name"]] = row
        print(problem["name"], row, flush=True)
    if (first, end) == (0, 20) and suite is SUITE and labels == ["tpe", "random"]:
        with open(os.path.join(HERE, "optuna-reference.json"), "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
