"""Trains one tunelab experiment with PyTorch, as tunelab trains it in the browser.

The network, its initializers, its loss and its optimizer are the same as tunelab's (which
follows torch.optim's equations, so every hyperparameter carries over unchanged); the table is
prepared by the recipe tunelab fitted on the training rows (recipe.json), row by row as the
app's prediction form does, on the very rows of each part (split.json).
"""
import csv
import datetime
import json
import math
import re
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

HERE = Path(__file__).resolve().parent
MISSING = {"", "na", "n/a", "#n/a", "nan", "null", "none", "?", "-"}
# Year first (2015-01-31, 2015/01/31), a time of day after it read past: the dates tunelab reads.
DATE = re.compile(r"([1-9]\d{3})([-/])(\d{1,2})\2(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?", re.ASCII)
ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "linear": nn.Identity,
    "elu": nn.ELU,
    # tunelab computes GELU in its tanh form.
    "gelu": lambda: nn.GELU(approximate="tanh"),
}


def load_json(name):
    """A JSON file of this project."""
    return json.loads((HERE / name).read_text(encoding="utf-8"))


OPTIMIZER_DEFAULTS = load_json("optimizer-defaults.json")


def cell_number(cell, column):
    """The number a non-missing cell holds ("3,5" reads 3.5); a ValueError naming the column otherwise."""
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", cell):
        return float(cell)
    if re.fullmatch(r"[+-]?\d*,\d+", cell):
        return float(cell.replace(",", "."))
    raise ValueError(f"“{column}” is a numeric column, but “{cell}” is not a number.")


def cell_date(cell, column):
    """The calendar date a non-missing cell holds; a ValueError naming the column otherwise."""
    m = DATE.fullmatch(cell)
    try:
        return datetime.date(int(m[1]), int(m[3]), int(m[4]))
    except (TypeError, ValueError):
        raise ValueError(f"“{column}” is a date column, but “{cell}” is not a date (write it as 2015-01-31).") from None


def date_inputs(column, date):
    """A date's five inputs: the scaled year, then sin and cos of the month (2π(month − 1)/12) and of the weekday (2π·weekday/7, Monday 0)."""
    month = 2 * math.pi * (date.month - 1) / 12
    day = 2 * math.pi * date.weekday() / 7
    return [(date.year - column["shift"]) / column["scale"], math.sin(month), math.cos(month), math.sin(day), math.cos(day)]


def row_inputs(recipe, row):
    """A row of text cells as the network's inputs: filled, shifted and scaled numbers, dates as year, month and weekday, one-hot categories (with a capped column's "other" input)."""
    x = []
    for column in recipe["columns"]:
        cell = (row.get(column["name"]) or "").strip()
        missing = cell.lower() in MISSING
        if column["kind"] == "numeric":
            value = column["fill"] if missing else cell_number(cell, column["name"])
            x.append((value - column["shift"]) / column["scale"])
        elif column["kind"] == "date":
            x.extend(date_inputs(column, cell_date(column["fill"] if missing else cell, column["name"])))
        else:
            level = column["fill"] if missing else cell
            x.extend(1.0 if level == known else 0.0 for known in column["levels"])
            if column.get("other"):
                # A capped column's last input takes every level it does not list.
                x.append(0.0 if level in column["levels"] else 1.0)
    return x


def load_parts(recipe):
    """The training, validation and test parts of data.csv as tensors (inputs, targets)."""
    with open(HERE / "data.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    split = load_json("split.json")
    target = recipe["spec"]["target"]

    def encode(indices):
        x = torch.tensor([row_inputs(recipe, rows[i]) for i in indices], dtype=torch.float32)
        if recipe["target"]["kind"] == "classes":
            classes = recipe["target"]["classes"]
            y = torch.tensor([classes.index(rows[i][target].strip()) for i in indices], dtype=torch.long)
        else:
            mean, std = recipe["target"]["mean"], recipe["target"]["std"]
            y = torch.tensor([(float(rows[i][target]) - mean) / std for i in indices], dtype=torch.float32)
        return x, y

    return {part: encode(split[part]) for part in ("train", "val", "test")}


def build_model(model, inputs, outputs):
    """Dense layers with Glorot-uniform weights and zero biases (Keras' defaults, tunelab's too), dropout after each hidden layer."""
    layers = []
    width = inputs
    for layer in model["hidden"]:
        layers += [nn.Linear(width, layer["units"]), ACTIVATIONS[layer["activation"]]()]
        if model["dropout"] > 0:
            layers.append(nn.Dropout(model["dropout"]))
        width = layer["units"]
    layers.append(nn.Linear(width, outputs))
    net = nn.Sequential(*layers)
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return net


def make_optimizer(spec, parameters):
    """tunelab's optimizer by its torch.optim name, with its hyperparameters (omitted ones at torch's defaults)."""
    o = spec["optimizer"]
    kind = o["kind"]
    h = {**OPTIMIZER_DEFAULTS[kind], **{k: v for k, v in o.items() if k != "kind"}}
    if kind in ("sgd", "momentum", "nesterov"):
        return torch.optim.SGD(parameters, lr=h["lr"], momentum=h["momentum"], nesterov=kind == "nesterov", weight_decay=h["weightDecay"])
    if kind == "adagrad":
        return torch.optim.Adagrad(parameters, lr=h["lr"], eps=h["eps"], weight_decay=h["weightDecay"])
    if kind == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=h["lr"], alpha=h["alpha"], eps=h["eps"], momentum=h["momentum"], weight_decay=h["weightDecay"])
    adam = torch.optim.AdamW if kind == "adamw" else torch.optim.Adam
    return adam(parameters, lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"], weight_decay=h["weightDecay"])


def make_schedule(spec, optimizer):
    """The learning-rate schedule per epoch: StepLR, CosineAnnealingLR, or none."""
    schedule = spec["training"]["schedule"]
    if schedule["kind"] == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=schedule["every"], gamma=schedule["gamma"])
    if schedule["kind"] == "cosine":
        epochs = spec["training"]["epochs"]
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs, eta_min=schedule["minFactor"] * spec["optimizer"]["lr"])
    return None


def class_weights(spec, y, classes):
    """
    Each class's weight in the training loss, or None: balanced, n / (K · n_c) from the training
    labels y (scikit-learn's compute_class_weight('balanced'), an absent class 1), or typed.
    """
    chosen = spec["training"].get("classWeights")
    if not chosen:
        return None
    if chosen["kind"] == "typed":
        return torch.tensor(chosen["weights"], dtype=torch.float32)
    counts = torch.bincount(y, minlength=classes).double()
    return torch.where(counts > 0, len(y) / (classes * counts), torch.ones_like(counts)).float()


def data_loss(logits, y, regression, weight=None):
    """
    Cross-entropy of the softmax (several classes), binary cross-entropy of the sigmoid (two), or
    mean squared error. With class weights, each point's loss times its class's weight, averaged
    over the points (as tunelab and Keras' class_weight do; torch's own mean divides by the
    weights' sum instead).
    """
    if logits.shape[1] > 1:
        if weight is None:
            return F.cross_entropy(logits, y)
        return F.cross_entropy(logits, y, weight=weight, reduction="sum") / y.shape[0]
    if regression:
        return F.mse_loss(logits[:, 0], y)
    return F.binary_cross_entropy_with_logits(logits[:, 0], y.float(), weight=None if weight is None else weight[y])


def quality(logits, y, regression):
    """Accuracy for classification, R² for regression."""
    if logits.shape[1] > 1:
        return (logits.argmax(1) == y).float().mean().item()
    if regression:
        residual = ((logits[:, 0] - y) ** 2).sum()
        total = ((y - y.mean()) ** 2).sum().clamp_min(1e-12)
        return (1 - residual / total).item()
    return ((logits[:, 0] > 0).long() == y).float().mean().item()


def train_experiment(spec, parts, report=None):
    """
    Trains the experiment; calls report(epoch, metrics) after every epoch (the pruning hook).
    Returns the epochs' metrics and the metrics of the weights kept (the best epoch's when
    early stopping restored them). Class weights weigh the training loss; validation is unweighted.
    """
    torch.manual_seed(spec["seed"])
    recipe = load_json("recipe.json")
    regression = recipe["target"]["kind"] == "value"
    x, y = parts["train"]
    xv, yv = parts["val"]
    outputs = len(recipe["target"]["classes"]) if not regression and len(recipe["target"]["classes"]) > 2 else 1
    weight = None if regression else class_weights(spec, y, len(recipe["target"]["classes"]))
    net = build_model(spec["model"], x.shape[1], outputs)
    optimizer = make_optimizer(spec, net.parameters())
    schedule = make_schedule(spec, optimizer)
    training = spec["training"]
    l1, l2 = spec["model"]["l1"], spec["model"]["l2"]
    weights = [m.weight for m in net if isinstance(m, nn.Linear)]
    order = torch.Generator().manual_seed(spec["seed"])
    history, best = [], None
    for epoch in range(1, training["epochs"] + 1):
        net.train()
        total, batches = 0.0, 0
        for batch in torch.randperm(x.shape[0], generator=order).split(training["batchSize"]):
            optimizer.zero_grad()
            logits = net(x[batch])
            loss = data_loss(logits, y[batch], regression, weight)
            if l1 or l2:
                loss = loss + sum(l1 * w.abs().sum() + l2 * (w ** 2).sum() for w in weights)
            loss.backward()
            if training["clipNorm"] > 0:
                nn.utils.clip_grad_norm_(net.parameters(), training["clipNorm"])
            optimizer.step()
            total += loss.item()
            batches += 1
        if schedule:
            schedule.step()
        net.train(False)  # evaluation mode: dropout off
        with torch.no_grad():
            logits = net(xv)
            metrics = {"epoch": epoch, "trainLoss": total / batches, "valLoss": data_loss(logits, yv, regression).item(), "valMetric": quality(logits, yv, regression)}
        history.append(metrics)
        if not math.isfinite(metrics["valLoss"]):
            return history, metrics
        if report:
            report(epoch, metrics)
        if training["patience"] > 0:
            if best is None or metrics["valLoss"] < best[0]["valLoss"]:
                best = (metrics, {k: v.clone() for k, v in net.state_dict().items()})
            elif epoch - best[0]["epoch"] >= training["patience"]:
                net.load_state_dict(best[1])
                return history, best[0]
    return history, (best[0] if best else history[-1])


def apply_params(base, params):
    """The experiment a trial runs: the base with each parameter set by its dotted path, as tunelab's applyParams."""
    spec = json.loads(json.dumps(base))
    first = ["optimizer.kind", "model.layers"]
    for name in sorted(params, key=lambda n: n not in first):
        value = params[name]
        if name == "model.layers":
            template = spec["model"]["hidden"][0] if spec["model"]["hidden"] else {"units": 4, "activation": "tanh"}
            hidden = spec["model"]["hidden"]
            spec["model"]["hidden"] = [dict(hidden[i] if i < len(hidden) else template) for i in range(int(value))]
        elif name == "model.units":
            for layer in spec["model"]["hidden"]:
                layer["units"] = int(value)
        elif name == "model.activation":
            for layer in spec["model"]["hidden"]:
                layer["activation"] = value
        elif name == "optimizer.kind":
            spec["optimizer"] = {"kind": value, "lr": spec["optimizer"]["lr"]}
        else:
            *path, last = name.split(".")
            target = spec
            for key in path:
                target = target[key]
            target[last] = value
    return spec


if __name__ == "__main__":
    experiment = load_json("experiment.json")
    history, kept = train_experiment(experiment, load_parts(load_json("recipe.json")))
    for m in history:
        print(json.dumps(m))
    print(f"validation metric {kept['valMetric']:.4f}, validation loss {kept['valLoss']:.4f}")
