"""Reference values for src/core/compress, computed by PyTorch (Debian's python3-torch).

Writes tests/support/compress-reference.json, which tests/unit/compress.test.ts reads:
- l1_unstructured and ln_structured(n=2, dim=0) pruning masks;
- MinMax observer quantization (per tensor and per channel, symmetric and asymmetric, several
  bit widths) with torch's fake quantization;
- the distillation loss alpha*T^2*kl_div(log_softmax(s/T), softmax(t/T), 'batchmean')
  + (1 - alpha)*cross_entropy(s, labels), and one SGD step of a linear student on it.

Run: /usr/bin/python3 tests/support/compress-reference.py
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch.ao.quantization.observer import MinMaxObserver, PerChannelMinMaxObserver
from torch.nn.utils import prune

rng = np.random.default_rng(13)


def f32(shape, scale=1.0, shift=0.0):
    return (rng.standard_normal(shape) * scale + shift).astype(np.float32)


def flat(a):
    return [float(v) for v in np.asarray(a).reshape(-1)]


magnitude = []
for n, amounts in [(10, [0.0, 0.3, 0.5, 0.9]), (5, [0.5, 0.7]), (37, [0.2, 0.8]), (120, [0.5, 0.8, 0.9])]:
    w = f32(n)
    for amount in amounts:
        m = torch.nn.Linear(n, 1, bias=False)
        with torch.no_grad():
            m.weight.copy_(torch.from_numpy(w).reshape(1, n))
        prune.l1_unstructured(m, 'weight', amount=amount)
        magnitude.append({'weights': flat(w), 'amount': amount, 'mask': [int(v) for v in flat(m.weight_mask)]})

neurons = []
for inputs, outputs, amounts in [(4, 6, [0.0, 0.5, 0.7]), (3, 10, [0.25, 0.8]), (7, 5, [0.5])]:
    w = f32((outputs, inputs))
    for amount in amounts:
        m = torch.nn.Linear(inputs, outputs)
        with torch.no_grad():
            m.weight.copy_(torch.from_numpy(w))
        prune.ln_structured(m, 'weight', amount=amount, n=2, dim=0)
        neurons.append({
            'kernel': flat(w.T),  # the Keras kernel [inputs, outputs]
            'inputs': inputs,
            'outputs': outputs,
            'amount': amount,
            'mask': [int(v) for v in m.weight_mask[:, 0].tolist()],
        })

quantized = []
tensors = [('normal', f32((6, 4), 0.7)), ('positive', np.abs(f32((5, 3), 2.0)) + 0.1), ('shifted', f32((8, 5), 0.3, -0.2))]
for name, x in tensors:
    t = torch.from_numpy(x)
    for bits in [2, 3, 4, 8]:
        for symmetric in [False, True]:
            for per_channel in [False, True]:
                qmin, qmax = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if symmetric else (0, 2 ** bits - 1)
                dtype = torch.qint8 if symmetric else torch.quint8
                if per_channel:
                    scheme = torch.per_channel_symmetric if symmetric else torch.per_channel_affine
                    obs = PerChannelMinMaxObserver(ch_axis=1, dtype=dtype, qscheme=scheme, quant_min=qmin, quant_max=qmax)
                else:
                    scheme = torch.per_tensor_symmetric if symmetric else torch.per_tensor_affine
                    obs = MinMaxObserver(dtype=dtype, qscheme=scheme, quant_min=qmin, quant_max=qmax)
                obs(t)
                scale, zero = obs.calculate_qparams()
                if per_channel:
                    deq = torch.fake_quantize_per_channel_affine(t, scale.float(), zero.to(torch.int32), 1, qmin, qmax)
                    q = torch.round(deq / scale.reshape(1, -1)) + zero.reshape(1, -1)
                else:
                    deq = torch.fake_quantize_per_tensor_affine(t, float(scale), int(zero), qmin, qmax)
                    q = torch.round(deq / scale) + zero
                quantized.append({
                    'name': name,
                    'values': flat(x),
                    'bits': bits,
                    'symmetric': symmetric,
                    'channels': x.shape[1] if per_channel else None,
                    'scale': flat(scale.float().numpy()),
                    'zeroPoint': [int(v) for v in flat(zero.numpy())],
                    'q': [int(v) for v in flat(q.numpy())],
                    'dequantized': flat(deq.numpy()),
                })

distill = []
for rows, classes in [(7, 3), (5, 5)]:
    s = f32((rows, classes), 2.0)
    te = f32((rows, classes), 3.0)
    labels = rng.integers(0, classes, rows)
    for temperature in [1.0, 2.0, 4.0]:
        for alpha in [0.0, 0.5, 0.9]:
            sd = torch.from_numpy(s).double()
            td = torch.from_numpy(te).double()
            kl = F.kl_div(F.log_softmax(sd / temperature, 1), F.softmax(td / temperature, 1), reduction='batchmean')
            ce = F.cross_entropy(sd, torch.from_numpy(labels))
            loss = alpha * temperature ** 2 * kl + (1 - alpha) * ce
            distill.append({
                'student': flat(s), 'teacher': flat(te), 'labels': [int(v) for v in labels],
                'classes': classes, 'temperature': temperature, 'alpha': alpha, 'loss': float(loss),
            })

# One SGD step of a linear student (Keras kernel [features, classes] and bias) on the same
# loss, in float64: the loss at the start and the parameters after the step.
distill_step = []
for rows, features, classes, temperature, alpha in [(9, 4, 3, 3.0, 0.6), (6, 5, 4, 0.5, 0.3), (8, 4, 3, 1.0, 0.8)]:
    x = f32((rows, features))
    w = f32((features, classes), 0.5)
    b = f32(classes, 0.1)
    te = f32((rows, classes), 2.0)
    labels = rng.integers(0, classes, rows)
    lr = 0.5
    wt = torch.from_numpy(w).double().requires_grad_()
    bt = torch.from_numpy(b).double().requires_grad_()
    logits = torch.from_numpy(x).double() @ wt + bt
    td = torch.from_numpy(te).double()
    kl = F.kl_div(F.log_softmax(logits / temperature, 1), F.softmax(td / temperature, 1), reduction='batchmean')
    loss = alpha * temperature ** 2 * kl + (1 - alpha) * F.cross_entropy(logits, torch.from_numpy(labels))
    loss.backward()
    distill_step.append({
        'x': flat(x), 'kernel': flat(w), 'bias': flat(b), 'teacher': flat(te), 'labels': [int(v) for v in labels],
        'features': features, 'classes': classes, 'temperature': temperature, 'alpha': alpha, 'lr': lr, 'loss': float(loss),
        'kernelAfter': flat((wt - lr * wt.grad).detach().numpy()), 'biasAfter': flat((bt - lr * bt.grad).detach().numpy()),
    })

out = os.path.join(os.path.dirname(__file__), 'compress-reference.json')
with open(out, 'w') as f:
    json.dump({'torch': torch.__version__, 'magnitude': magnitude, 'neurons': neurons, 'quantized': quantized, 'distill': distill, 'distillStep': distill_step}, f)
print(out, len(magnitude), len(neurons), len(quantized), len(distill), len(distill_step))
