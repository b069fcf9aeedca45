#!/usr/bin/env python3
"""Rebuild a verify-nn model file as a PyTorch module, in float64, from the topology in its metadata.

    python3 load_pytorch.py MODEL.safetensors [ROWS.csv]

Needs torch and safetensors (pip install torch safetensors). Prints the same CSV as `nn predict` for the rows (CSV, no header;
default: standard input). The module takes the raw feature rows, [N, features], and standardizes them itself, as nn predict does.
"""

import csv
import json
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file


def padding(mode, size, kernel, stride):
    """(before, after) zero padding along one axis, as the engine resolves 'valid', 'same' and an integer."""
    if mode == "valid":
        return 0, 0
    if mode == "same":
        total = max((-(-size // stride) - 1) * stride + kernel - size, 0)
        return total // 2, total - total // 2
    return int(mode), int(mode)


class Lambda(torch.nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, x):
        return self.f(x)


def activation(stored):
    """The engine's activation as a module. Softplus is written out: torch.nn.Softplus turns linear above z = 20."""
    name, h = (stored, {}) if isinstance(stored, str) else (stored["name"], stored)
    return {
        "identity": lambda: torch.nn.Identity(),
        "relu": lambda: torch.nn.ReLU(),
        "leaky-relu": lambda: torch.nn.LeakyReLU(h.get("negativeSlope", 0.01)),
        "elu": lambda: torch.nn.ELU(h.get("alpha", 1.0)),
        "sigmoid": lambda: torch.nn.Sigmoid(),
        "tanh": lambda: torch.nn.Tanh(),
        "softplus": lambda: Lambda(lambda z: z.clamp(min=0) + torch.log1p(torch.exp(-z.abs()))),
        "softsign": lambda: torch.nn.Softsign(),
        "silu": lambda: torch.nn.SiLU(),
        "gelu": lambda: torch.nn.GELU(approximate="tanh"),
        # Softmax over each sample's values (all of an image's, as the engine's rows).
        "softmax": lambda: Lambda(lambda z: torch.softmax(z.flatten(1), dim=1).view(z.shape)),
        "step": lambda: Lambda(lambda z: (z >= 0).to(z.dtype)),
    }[name]()


def build(path):
    tensors = load_file(path)  # float64 tensors, named layers.{l}.weight / .bias, standardizer.mean / .std
    with safe_open(path, framework="pt") as f:
        metadata = f.metadata()
    modules = []
    if "standardizer.mean" in tensors:
        mean, std = tensors["standardizer.mean"], tensors["standardizer.std"]
        modules.append(Lambda(lambda x: (x - mean) / std))
    for l, spec in enumerate(json.loads(metadata["topology"])):
        kind = spec["type"]
        if kind in ("conv2d", "maxpool2d", "avgpool2d"):
            c, h, w = spec["input"]
            modules.append(torch.nn.Unflatten(1, (c, h, w)))
        if kind == "dense":
            linear = torch.nn.Linear(spec["inputs"], spec["outputs"], dtype=torch.float64)
            modules += [linear, activation(spec["activation"])]
        elif kind == "conv2d":
            (kh, kw), s = spec["kernel"], spec["stride"]
            top, bottom = padding(spec["padding"], h, kh, s)
            left, right = padding(spec["padding"], w, kw, s)
            linear = torch.nn.Conv2d(c, spec["outChannels"], (kh, kw), stride=s, dtype=torch.float64)
            modules += [torch.nn.ZeroPad2d((left, right, top, bottom)), linear, activation(spec["activation"])]
        elif kind == "maxpool2d":
            modules.append(torch.nn.MaxPool2d(spec["size"], spec["stride"]))
        elif kind == "avgpool2d":
            modules.append(torch.nn.AvgPool2d(spec["size"], spec["stride"]))
        elif kind == "flatten":
            modules.append(torch.nn.Flatten())
        else:
            raise ValueError(f"unknown layer type '{kind}'")
        if kind in ("dense", "conv2d"):
            # The file's layouts are PyTorch's: Linear [out, in], Conv2d [out, in, kh, kw].
            with torch.no_grad():
                linear.weight.copy_(tensors[f"layers.{l}.weight"])
                linear.bias.copy_(tensors[f"layers.{l}.bias"])
        # Every layer's output becomes a flat row per sample, as the engine stores it; an image layer unflattens its input.
        modules.append(torch.nn.Flatten())
    return torch.nn.Sequential(*modules).eval(), metadata


def main(arguments):
    model, metadata = build(arguments[0])
    loss = metadata.get("loss", "")
    loss = json.loads(loss)["name"] if loss.startswith("{") else loss
    source = open(arguments[1], newline="") if len(arguments) > 1 else sys.stdin
    rows = torch.tensor([[float(v) for v in row] for row in csv.reader(source) if row], dtype=torch.float64)
    with torch.no_grad():
        outputs = model(rows)
    classify = loss in ("bce", "cce", "sparse-cce", "hinge", "perceptron")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow((["class"] if classify else []) + [f"output{j}" for j in range(outputs.shape[1])])
    for row in outputs.tolist():
        label = (row.index(max(row)) if len(row) > 1 else int(row[0] >= (0.0 if loss in ("hinge", "perceptron") else 0.5)))
        writer.writerow(([label] if classify else []) + [repr(v) for v in row])


if __name__ == "__main__":
    main(sys.argv[1:])
