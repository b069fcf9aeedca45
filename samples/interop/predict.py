#!/usr/bin/env python3
"""Predictions of a verify-nn model file with nothing but Python's standard library.

    python3 predict.py MODEL.safetensors [ROWS.csv]

Reads feature rows (CSV, no header, no label column) from ROWS.csv or standard input and prints what `nn predict` prints:
a header, then per row the predicted class (when the model's loss classifies) and every output. Float64 throughout, the
engine's formulas; the outputs agree with `nn predict` to the last few bits (summation order and libm differ).

The model file is safetensors: an 8-byte little-endian header length, a JSON header naming each F64 tensor's shape and byte
range, then the data. The header's __metadata__ holds the topology (a JSON list of layers), the loss and the format.
"""

import csv
import json
import math
import struct
import sys


def read_model(path):
    """The tensors (name -> (shape, flat list of floats)) and the metadata (name -> string) of a model file."""
    with open(path, "rb") as f:
        data = f.read()
    (header_length,) = struct.unpack_from("<Q", data, 0)
    header = json.loads(data[8:8 + header_length])
    metadata = header.pop("__metadata__", {})
    if metadata.get("format") != "verify-nn/1":
        raise ValueError(f"{path}: the metadata does not declare format verify-nn/1")
    base = 8 + header_length
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] != "F64":
            raise ValueError(f"{path}: tensor {name} has dtype {entry['dtype']}, not F64")
        begin, end = entry["data_offsets"]
        values = list(struct.unpack_from(f"<{(end - begin) // 8}d", data, base + begin))
        tensors[name] = (entry["shape"], values)
    return tensors, metadata


def component(stored):
    """An activation or loss as stored: a name, or {"name": ..., hyperparameter: value, ...}."""
    return (stored, {}) if isinstance(stored, str) else (stored["name"], {k: v for k, v in stored.items() if k != "name"})


def sigmoid(z):
    e = math.exp(-abs(z))  # e^(-|z|) never overflows
    return 1.0 / (1.0 + e) if z >= 0 else e / (1.0 + e)


GELU_SCALE = math.sqrt(2.0 / math.pi)

# Each activation elementwise, as the engine defines it (README: "Conventions"); softmax is per sample, below.
ELEMENTWISE = {
    "identity": lambda h: lambda z: z,
    "relu": lambda h: lambda z: z if z > 0 else 0.0,
    "leaky-relu": lambda h: lambda z: z if z > 0 else h.get("negativeSlope", 0.01) * z,
    "elu": lambda h: lambda z: z if z > 0 else h.get("alpha", 1.0) * (math.exp(z) - 1.0),
    "sigmoid": lambda h: sigmoid,
    "tanh": lambda h: math.tanh,
    "softplus": lambda h: lambda z: max(z, 0.0) + math.log1p(math.exp(-abs(z))),
    "softsign": lambda h: lambda z: z / (1.0 + abs(z)),
    "silu": lambda h: lambda z: z * sigmoid(z),
    "gelu": lambda h: lambda z: 0.5 * z * (1.0 + math.tanh(GELU_SCALE * (z + 0.044715 * z * z * z))),
    "step": lambda h: lambda z: 1.0 if z >= 0 else 0.0,
}


def activation(stored):
    """sigma as a function of one sample's pre-activations (a flat list)."""
    name, hyperparameters = component(stored)
    if name == "softmax":
        def softmax(z):
            top = max(z)
            e = [math.exp(v - top) for v in z]
            inverse = 1.0 / sum(e)
            return [v * inverse for v in e]
        return softmax
    if name not in ELEMENTWISE:
        raise ValueError(f"unknown activation '{name}'")
    f = ELEMENTWISE[name](hyperparameters)
    return lambda z: [f(v) for v in z]


def dense(spec, weight, bias):
    """z_j = sum_k W[j][k] x_k + b_j with W stored [out, in]."""
    n, m = spec["inputs"], spec["outputs"]
    sigma = activation(spec["activation"])
    return lambda x: sigma([sum(weight[j * n + k] * x[k] for k in range(n)) + bias[j] for j in range(m)])


def padding(mode, size, kernel, stride):
    """(before, after) zero padding along one axis: 'valid', 'same' (output ceil(n/stride), the odd one after) or an integer."""
    if mode == "valid":
        return 0, 0
    if mode == "same":
        total = max((-(-size // stride) - 1) * stride + kernel - size, 0)
        return total // 2, total - total // 2
    return int(mode), int(mode)


def conv2d(spec, weight, bias):
    """Cross-correlation of a [c, h, w] image with kernels [out, c, kh, kw], zero padding, then sigma."""
    c, h, w = spec["input"]
    out, (kh, kw), s = spec["outChannels"], spec["kernel"], spec["stride"]
    top, bottom = padding(spec["padding"], h, kh, s)
    left, right = padding(spec["padding"], w, kw, s)
    oh, ow = (h + top + bottom - kh) // s + 1, (w + left + right - kw) // s + 1
    sigma = activation(spec["activation"])

    def forward(x):
        z = []
        for o in range(out):
            for y in range(oh):
                for x0 in range(ow):
                    total = 0.0
                    for ch in range(c):
                        for i in range(kh):
                            row = y * s + i - top
                            if 0 <= row < h:
                                for j in range(kw):
                                    col = x0 * s + j - left
                                    if 0 <= col < w:
                                        total += weight[((o * c + ch) * kh + i) * kw + j] * x[(ch * h + row) * w + col]
                    z.append(total + bias[o])
        return sigma(z)
    return forward


def pool2d(spec, reduce):
    """size x size windows every stride pixels of each channel, no padding."""
    c, h, w = spec["input"]
    size, s = spec["size"], spec["stride"]
    oh, ow = (h - size) // s + 1, (w - size) // s + 1
    return lambda x: [reduce([x[(ch * h + y * s + i) * w + x0 * s + j] for i in range(size) for j in range(size)])
                      for ch in range(c) for y in range(oh) for x0 in range(ow)]


def build(tensors, topology):
    """One function per layer, in order; samples are flat lists, images row-major [c, h, w] as the engine stores them."""
    layers = []
    for l, spec in enumerate(topology):
        kind = spec["type"]
        parameters = lambda name: tensors[f"layers.{l}.{name}"][1]
        if kind == "dense":
            layers.append(dense(spec, parameters("weight"), parameters("bias")))
        elif kind == "conv2d":
            layers.append(conv2d(spec, parameters("weight"), parameters("bias")))
        elif kind == "maxpool2d":
            layers.append(pool2d(spec, max))
        elif kind == "avgpool2d":
            layers.append(pool2d(spec, lambda window: sum(window) / len(window)))
        elif kind == "flatten":
            layers.append(lambda x: x)
        else:
            raise ValueError(f"unknown layer type '{kind}'")
    return layers


def predict_class(loss, output):
    """nn predict's class: the largest output (the first on ties), or with one output whether it reaches the midpoint of
    the loss's targets (0.5; 0 for the margin losses, whose targets are -1 and +1). None when the loss does not classify."""
    if loss not in ("bce", "cce", "sparse-cce", "hinge", "perceptron"):
        return None
    if len(output) == 1:
        return 1 if output[0] >= (0.0 if loss in ("hinge", "perceptron") else 0.5) else 0
    return max(range(len(output)), key=lambda j: (output[j], -j))


def main(arguments):
    if len(arguments) not in (1, 2):
        sys.exit("usage: python3 predict.py MODEL.safetensors [ROWS.csv]")
    tensors, metadata = read_model(arguments[0])
    layers = build(tensors, json.loads(metadata["topology"]))
    loss = component(json.loads(metadata["loss"]) if metadata.get("loss", "").startswith("{") else metadata.get("loss", ""))[0]
    mean = tensors.get("standardizer.mean", (None, None))[1]
    std = tensors.get("standardizer.std", (None, None))[1]
    source = open(arguments[1], newline="") if len(arguments) == 2 else sys.stdin
    writer = None
    for row in csv.reader(source):
        if not row or not "".join(row).strip():
            continue
        x = [float(v) for v in row]
        if mean is not None:
            x = [(v - m) / s for v, m, s in zip(x, mean, std)]
        for layer in layers:
            x = layer(x)
        label = predict_class(loss, x)
        if writer is None:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow((["class"] if label is not None else []) + [f"output{j}" for j in range(len(x))])
        writer.writerow(([label] if label is not None else []) + [repr(v) for v in x])


if __name__ == "__main__":
    main(sys.argv[1:])
