# Reference paths of the landscape lab: torch.optim's own optimizers, in float64, on the lab's
# surfaces, each written in the lab's formula syntax and read here with ^ as **.
# Run: nice -n 19 /usr/bin/python3 tests/support/landscape-torch.py > tests/support/landscape-torch.json
import json
import math

import torch

torch.set_default_dtype(torch.float64)

NAMES = {name: getattr(torch, name) for name in ['sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'abs', 'tanh', 'sinh', 'cosh']}
NAMES.update(
    min=lambda a, b: torch.minimum(torch.as_tensor(a), torch.as_tensor(b)),
    max=lambda a, b: torch.maximum(torch.as_tensor(a), torch.as_tensor(b)),
    pi=math.pi,
    e=math.e,
)


def surface(expression):
    code = compile(expression.replace('^', '**'), expression, 'eval')
    return lambda x, y: eval(code, {'__builtins__': {}}, {**NAMES, 'x': x, 'y': y})


def optimizer(spec, params):
    kind, lr = spec['kind'], spec['lr']
    wd = spec.get('weightDecay', 0.01 if kind == 'adamw' else 0)
    if kind in ('sgd', 'momentum', 'nesterov'):
        momentum = spec.get('momentum', 0 if kind == 'sgd' else 0.9)
        return torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=kind == 'nesterov', weight_decay=wd)
    if kind == 'adagrad':
        return torch.optim.Adagrad(params, lr=lr, eps=spec.get('eps', 1e-10), weight_decay=wd)
    if kind == 'rmsprop':
        return torch.optim.RMSprop(params, lr=lr, alpha=spec.get('alpha', 0.99), eps=spec.get('eps', 1e-8), momentum=spec.get('momentum', 0), weight_decay=wd)
    betas = (spec.get('beta1', 0.9), spec.get('beta2', 0.999))
    cls = torch.optim.Adam if kind == 'adam' else torch.optim.AdamW
    return cls(params, lr=lr, betas=betas, eps=spec.get('eps', 1e-8), weight_decay=wd)


def path(expression, spec, start, steps):
    f = surface(expression)
    p = torch.tensor([float(v) for v in start], requires_grad=True)
    opt = optimizer(spec, [p])
    points = [p.detach().tolist()]
    values = []
    for _ in range(steps):
        opt.zero_grad()
        value = f(p[0], p[1])
        values.append(value.item())
        value.backward()
        opt.step()
        points.append(p.detach().tolist())
    values.append(f(p[0], p[1]).item())
    return points, values


# The bowl of DEFAULT_BOWL (κ = 10, θ = 30°), as surfaces.ts writes it.
c, s = math.cos(math.pi / 6), math.sin(math.pi / 6)
BOWL = f'0.5*(10*(x*{c!r} + y*{s!r})^2 + (y*{c!r} - x*{s!r})^2)'
CASES = [
    ('himmelblau', '(x^2 + y - 11)^2 + (x + y^2 - 7)^2', {'kind': 'sgd', 'lr': 0.01}, [0, 0], 100),
    ('rosenbrock', '(1 - x)^2 + 100*(y - x^2)^2', {'kind': 'adam', 'lr': 0.05}, [-1.2, 1], 200),
    ('beale', '(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2', {'kind': 'rmsprop', 'lr': 0.01, 'momentum': 0.5}, [1, 1], 100),
    ('six-hump-camel', '(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2', {'kind': 'momentum', 'lr': 0.01, 'momentum': 0.9}, [-1.5, 1], 100),
    ('rastrigin', '20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)', {'kind': 'nesterov', 'lr': 0.002, 'momentum': 0.9}, [2.2, -1.3], 100),
    ('ackley', '-20*exp(-0.2*sqrt(max(0.5*(x^2 + y^2), 1e-30))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20', {'kind': 'adagrad', 'lr': 0.1}, [2, -1], 100),
    ('styblinski-tang', '0.5*(x^4 - 16*x^2 + 5*x + y^4 - 16*y^2 + 5*y)', {'kind': 'adamw', 'lr': 0.05}, [0.5, -0.5], 100),
    ('saddle', 'x^2 - y^2', {'kind': 'sgd', 'lr': 0.05, 'weightDecay': 0.1}, [1, 0.01], 50),
    ('goldstein-price', '(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))', {'kind': 'adam', 'lr': 0.01, 'beta1': 0.8, 'beta2': 0.99}, [0.5, -0.5], 100),
    ('bowl', BOWL, {'kind': 'momentum', 'lr': 0.05, 'momentum': 0.8}, [-1.5, 1.5], 100),
    ('formula', 'log(1 + x^2) + cosh(0.5*y) + sqrt(x^2 + y^2 + 1) + x*y/(2 + sin(x)) + tanh(x - y)^3 + 2^(0.1*x) + abs(y + 5)^1.5 - min(x, 3) + max(y, -4)', {'kind': 'rmsprop', 'lr': 0.02, 'alpha': 0.9, 'weightDecay': 0.01}, [1.5, -2], 100),
]

cases = [
    dict(zip(['surface', 'expression', 'optimizer', 'start', 'steps'], case), **dict(zip(['points', 'values'], path(*case[1:]))))
    for case in CASES
]
# One case a line: the file stays readable in a diff.
print('{"torch": %s, "cases": [\n%s\n]}' % (json.dumps(torch.__version__), ',\n'.join(json.dumps(c) for c in cases)))
