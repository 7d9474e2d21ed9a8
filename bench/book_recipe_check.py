#!/usr/bin/env python3
"""Independent re-run of the book's 18.4/18.5 recipes in PyTorch (NOT part of the Maven build).

Asks one question: how often does the book's recipe, run outside DL4J, reach the book's number? It
trains the network exactly as the book's framework does (and as cnnlab's experiment of the same name):
  - inputs scaled to [0, 1] (the book's min-max over the set, i.e. /255), 55 000 training images
    (5 000 held out, as cnnlab does), reshuffled every epoch, batch 128;
  - the book's "Xavier": conv U(+-sqrt(6/(kh+kw))), FC U(+-sqrt(6/(n_in+n_out))), zero biases;
  - the book's Momentum (heavy ball, v <- 0.9 v - lr g); PyTorch's SGD momentum is the same rule at a
    constant learning rate;
  - test accuracy of the last parameters: the book's NeuralNet_4_2.train tests right after the last
    epoch ("save parameters / testing... / 0.9865" in 18.4.3), and these scripts load nothing else.
Nets: fashion-cnn (18.5.3's text: conv 32@3x3 -> ReLU -> pool -> FC 128 -> ReLU -> FC 10, lr 0.01,
10 epochs, book 91.12 %), fashion-cnn-bn (the book's script: BN after FC 128) and mnist-cnn (table
18-5, lr 0.1, 5 epochs, book 98.65 %). bench/step_replay.py checks step by step that DL4J trains
these networks exactly as PyTorch does.

    OMP_NUM_THREADS=1 python3 bench/book_recipe_check.py fashion-cnn --data-dir ../shared/data --seeds 1 2 3

To take PyTorch's random draws out of the comparison, --dl4j-init DIR starts seed N from the initial
weights cnnlab drew for --seed N (DIR/N, written by `StepTrace NET DATA DIR/N 0 43 N`, see
step_replay.py), and --dl4j-order uses cnnlab's own split and batch order (a replica of the
java.util.Random Fisher-Yates shuffles of cnnlab.data.ImageSet: split with seed N, epoch e shuffled
with seed N + e, a final partial batch dropped). With both, the only difference left is the arithmetic.
"""
import argparse
import gzip
import math
import os
import statistics
import time

import numpy as np
import torch
import torch.nn as nn

import step_replay


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(folder):  # the four official IDX files, pixels / 255
    def x(name):
        return torch.from_numpy(idx(os.path.join(folder, name)).astype(np.float32) / 255.0).unsqueeze(1)

    def y(name):
        return torch.from_numpy(idx(os.path.join(folder, name)).astype(np.int64))

    return (x("train-images-idx3-ubyte.gz"), y("train-labels-idx1-ubyte.gz"),
            x("t10k-images-idx3-ubyte.gz"), y("t10k-labels-idx1-ubyte.gz"))


# name -> (data set, learning rate, epochs, book's test accuracy); the layers are step_replay.LAYERS
RECIPES = {
    "fashion-cnn": ("fashion-mnist", 0.01, 10, 0.9112),
    "fashion-cnn-bn": ("fashion-mnist", 0.01, 10, 0.9112),
    "mnist-cnn": ("mnist", 0.1, 5, 0.9865),
}


def net(name):
    model = nn.Sequential(*step_replay.LAYERS[name]())
    with torch.no_grad():
        for m in model:
            if isinstance(m, nn.Conv2d):
                t = math.sqrt(6.0 / (m.kernel_size[0] + m.kernel_size[1]))
                m.weight.uniform_(-t, t)
                m.bias.zero_()
            elif isinstance(m, nn.Linear):
                t = math.sqrt(6.0 / (m.in_features + m.out_features))
                m.weight.uniform_(-t, t)
                m.bias.zero_()
    return model


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        correct = sum((model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
                      for i in range(0, len(x), 1000))
    model.train()
    return correct / len(x)


class JavaRandom:
    """java.util.Random (48-bit LCG), enough of it for cnnlab's shuffles."""
    MASK = (1 << 48) - 1

    def __init__(self, seed):
        self.state = (seed ^ 0x5DEECE66D) & self.MASK

    def next_bits(self, bits):
        self.state = (self.state * 0x5DEECE66D + 0xB) & self.MASK
        return self.state >> (48 - bits)

    def next_int(self, bound):
        if bound & -bound == bound:
            return (bound * self.next_bits(31)) >> 31
        while True:
            bits = self.next_bits(31)
            val = bits % bound
            if bits - val + (bound - 1) < (1 << 31):
                return val


def java_permutation(n, seed):
    """cnnlab.data.ImageSet.permutation(n, new Random(seed))."""
    r, p = JavaRandom(seed), list(range(n))
    for i in range(n - 1, 0, -1):
        j = r.next_int(i + 1)
        p[i], p[j] = p[j], p[i]
    return torch.tensor(p)


def run(seed, data, name, epochs, holdout, dl4j_init=None, dl4j_order=False):
    xtr, ytr, xte, yte = data
    torch.manual_seed(seed)
    if dl4j_order:  # ImageSet.splitValidation(12, seed): both parts kept in file order
        perm = java_permutation(len(xtr), seed)
        train, val = perm[len(xtr) // 12:].sort().values, perm[:len(xtr) // 12].sort().values
    else:
        perm = torch.randperm(len(xtr))
        train, val = perm[holdout:], perm[:holdout]
    model = net(name)
    if dl4j_init:
        model = step_replay.from_dl4j(name, os.path.join(dl4j_init, str(seed)), "init")
    opt = torch.optim.SGD(model.parameters(), lr=RECIPES[name][1], momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    t0 = time.time()
    for epoch in range(1, epochs + 1):
        if dl4j_order:  # pass e of the training iterator: new Random(seed + e), partial batch dropped
            order = train[java_permutation(len(train), seed + epoch)]
            order = order[:len(order) // 128 * 128]
        else:
            order = train[torch.randperm(len(train))]
        for i in range(0, len(order), 128):
            b = order[i:i + 128]
            opt.zero_grad()
            loss_fn(model(xtr[b]), ytr[b]).backward()
            opt.step()
        print(f"seed {seed} epoch {epoch}: val {accuracy(model, xtr[val], ytr[val]):.4f} "
              f"test {accuracy(model, xte, yte):.4f} ({time.time() - t0:.0f} s)", flush=True)
    return accuracy(model, xte, yte)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("net", choices=sorted(RECIPES))
    p.add_argument("--data-dir", default="data")
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--epochs", type=int, help="default: the book's")
    p.add_argument("--holdout", type=int, default=5000)
    p.add_argument("--dl4j-init", metavar="DIR", help="start seed N from cnnlab's initial weights in DIR/N")
    p.add_argument("--dl4j-order", action="store_true", help="cnnlab's split and batch order")
    a = p.parse_args()
    data_name, _, book_epochs, book = RECIPES[a.net]
    epochs = a.epochs or book_epochs
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    data = load(os.path.join(a.data_dir, data_name))
    results = [run(s, data, a.net, epochs, a.holdout, a.dl4j_init, a.dl4j_order) for s in a.seeds]
    how = ", ".join(w for w, on in [("cnnlab's initial weights", a.dl4j_init), ("cnnlab's batch order", a.dl4j_order)]
                    if on)
    print(f"{a.net} (PyTorch, book recipe{', ' + how if how else ''}), test accuracy of the last model after "
          f"{epochs} epochs: " + ", ".join(f"seed {s} {r:.2%}" for s, r in zip(a.seeds, results))
          + f"; mean {statistics.mean(results):.2%}, median {statistics.median(results):.2%}; book {book:.2%}")


if __name__ == "__main__":
    main()
