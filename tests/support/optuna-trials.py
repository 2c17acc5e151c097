"""A small finished Optuna study written as trials_dataframe() CSV and JSON, for the import test.

Run: /usr/bin/python3 tests/support/optuna-trials.py tests/support/optuna-trials
Writes <prefix>.csv and <prefix>.json (orient="records").
"""
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def objective(trial):
    kind = trial.suggest_categorical("optimizer.kind", ["sgd", "momentum"])
    lr = trial.suggest_float("optimizer.lr", 1e-3, 1.0, log=True)
    units = trial.suggest_int("model.units", 2, 16)
    momentum = trial.suggest_float("optimizer.momentum", 0.5, 0.99) if kind == "momentum" else 0.0
    for step in range(1, 6):
        value = (lr - 0.1) ** 2 + 0.01 * abs(units - 8) + (0.9 - momentum) * 0.1 + 1 / step
        trial.report(value, step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return value


study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=3, n_startup_trials=4), pruner=optuna.pruners.MedianPruner(n_startup_trials=3))
study.optimize(objective, n_trials=12)
frame = study.trials_dataframe()
frame.to_csv(sys.argv[1] + ".csv", index=False)
frame.to_json(sys.argv[1] + ".json", orient="records", date_format="iso")
