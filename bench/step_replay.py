#!/usr/bin/env python3
"""Replays a cnnlab StepTrace in PyTorch and compares, step by step (NOT part of the Maven build).

StepTrace (src/test/java/cnnlab/training/StepTrace.java) writes a DL4J run's initial parameters, its
batches, its per-step losses and its final parameters. This script loads the same initial parameters
into the same network in PyTorch, trains on the same batches with the book's Momentum (heavy ball,
0.9; PyTorch's SGD momentum is the same rule at a constant learning rate) and prints both loss curves
and the final parameters' relative difference. Float32 rounding makes two correct implementations
drift apart slowly; a wrong gradient, a stale cache or a wrong update shows up within a few steps.

    java -cp target/classes:target/test-classes:$(cat cp.txt) cnnlab.training.StepTrace fashion-cnn DATA /tmp/trace 200
    python3 bench/step_replay.py /tmp/trace [--lr LR]

Nets: fashion-cnn, fashion-cnn-bn and mnist-cnn (told apart by their parameter files).
"""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn


def load(d, name):
    return torch.from_numpy(np.load(os.path.join(d, name)).astype(np.float32))


def linear(layer, d, tag, name):
    with torch.no_grad():
        if isinstance(layer, nn.Linear):
            layer.weight.copy_(load(d, f"{tag}_{name}_W.npy").T)  # DL4J dense W is [nIn, nOut]
        else:
            layer.weight.copy_(load(d, f"{tag}_{name}_W.npy"))  # conv W is OIHW in both
        layer.bias.copy_(load(d, f"{tag}_{name}_b.npy").reshape(-1))


def batch_norm(layer, d, tag, name):
    with torch.no_grad():
        layer.weight.copy_(load(d, f"{tag}_{name}_gamma.npy").reshape(-1))
        layer.bias.copy_(load(d, f"{tag}_{name}_beta.npy").reshape(-1))
        layer.running_mean.copy_(load(d, f"{tag}_{name}_mean.npy").reshape(-1))
        std = 10 ** load(d, f"{tag}_{name}_log10stdev.npy").reshape(-1)  # DL4J keeps log10(sqrt(var + eps))
        layer.running_var.copy_(std * std - layer.eps)


# The book's networks, layer for layer as cnnlab builds them (bench/book_recipe_check.py uses them too),
# and the names of cnnlab's layers that hold each module's parameters.
LAYERS = {
    "fashion-cnn": lambda: [nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                            nn.Linear(32 * 13 * 13, 128), nn.ReLU(), nn.Linear(128, 10)],
    "fashion-cnn-bn": lambda: [nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                               nn.Linear(32 * 13 * 13, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 10)],
    "mnist-cnn": lambda: [nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 5), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 4 * 4, 32), nn.BatchNorm1d(32), nn.ReLU(),
                          nn.Linear(32, 10)],
}
DL4J_NAMES = {
    "fashion-cnn": {0: "c1", 4: "f3", 6: "f4"},
    "fashion-cnn-bn": {0: "c1", 4: "f3", 5: "bn3", 7: "f4"},
    "mnist-cnn": {0: "c1", 3: "c2", 7: "f3", 8: "bn3", 10: "f4"},
}


def from_dl4j(net, d, tag):
    """The network with the parameters cnnlab wrote as {tag}_{layer}_{param}.npy in folder d."""
    model = nn.Sequential(*LAYERS[net]())
    for i, name in DL4J_NAMES[net].items():
        (batch_norm if isinstance(model[i], nn.BatchNorm1d) else linear)(model[i], d, tag, name)
    return model


def which(d):
    """The network a trace folder holds, told apart by its parameter files."""
    if os.path.exists(os.path.join(d, "init_c2_W.npy")):
        return "mnist-cnn"
    return "fashion-cnn-bn" if os.path.exists(os.path.join(d, "init_bn3_gamma.npy")) else "fashion-cnn"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("trace")
    p.add_argument("--lr", type=float, help="default: the book's (fashion-cnn 0.01, mnist-cnn 0.1)")
    a = p.parse_args()
    torch.set_num_threads(1)
    dl4j_losses = [float(v) for v in open(os.path.join(a.trace, "losses.txt")).read().split()]
    net = which(a.trace)
    model = from_dl4j(net, a.trace, "init")
    lr = a.lr or (0.1 if net == "mnist-cnn" else 0.01)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    worst = 0.0
    for s, expected in enumerate(dl4j_losses):
        x = load(a.trace, f"x{s}.npy")
        y = load(a.trace, f"y{s}.npy").argmax(1)
        if s == 0:
            levels = np.unique(np.round(x.numpy() * 255, 3))
            print(f"batch 0: {tuple(x.shape)}, {len(levels)} grey levels, all k/255: "
                  f"{bool(np.allclose(levels, np.round(levels)))}, labels {np.bincount(y.numpy(), minlength=10)}")
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        rel = abs(loss.item() - expected) / expected
        worst = max(worst, rel)
        if s < 5 or (s + 1) % 20 == 0 or s == len(dl4j_losses) - 1:
            print(f"step {s + 1:4d}: DL4J {expected:.6f}  PyTorch {loss.item():.6f}  rel. diff {rel:.2e}")
    final = from_dl4j(net, a.trace, "final")
    ours = dict(model.state_dict())
    for name, theirs in final.state_dict().items():
        if theirs.dtype.is_floating_point:
            diff = (ours[name] - theirs).norm().item() / theirs.norm().item()
            print(f"final {name:22s} relative difference {diff:.2e}")
    print(f"largest per-step loss difference: {worst:.2e} over {len(dl4j_losses)} steps")


if __name__ == "__main__":
    main()
