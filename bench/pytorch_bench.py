#!/usr/bin/env python3
"""PyTorch CPU reference for docs/PERFORMANCE.md (NOT part of the Maven build).

Trains the book's three chapter-18 CNNs, layer for layer as cnnlab builds them, on random float32 data
in memory and prints training (forward + backward + update) and inference images/s: medians of
several timed windows after warm-up.

    apt-get install -y python3-torch          # Debian's PyTorch 1.13
    OMP_NUM_THREADS=2 python3 bench/pytorch_bench.py [--batch 128] [--windows 5] [--iters 10] [--threads N] [net ...]

Nets: mnist-cnn (18.4, table 18-5), fashion-cnn (18.5.3), cifar10-cnn (18.6.3, the Keras model).
Optimisers as in cnnlab: mnist/fashion classical momentum 0.9 (the book's Momentum, cnnlab's BookMomentum), cifar10 RMSprop
(rho 0.9, eps 1e-7).
"""
import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn as nn

import step_replay


def mnist_cnn():
    # conv 8@5x5 -> ReLU -> max-pool 2 -> conv 16@5x5 -> ReLU -> max-pool 2 -> FC 32 -> BN -> ReLU -> FC 10
    return (nn.Sequential(*step_replay.LAYERS["mnist-cnn"]()), (1, 28, 28),
            lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9))


def fashion_cnn():
    # conv 32@3x3 -> ReLU -> max-pool 2 -> FC 128 -> ReLU -> FC 10
    return (nn.Sequential(*step_replay.LAYERS["fashion-cnn"]()), (1, 28, 28),
            lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9))


def cifar10_cnn():
    # the book's Keras model (18.6.3); Keras Dropout(rate) = nn.Dropout(rate)
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
        nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
        nn.Conv2d(64, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(64 * 6 * 6, 512), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(512, 10)), (3, 32, 32), lambda p: torch.optim.RMSprop(p, lr=1e-4, alpha=0.9, eps=1e-7)


NETS = {"mnist-cnn": mnist_cnn, "fashion-cnn": fashion_cnn, "cifar10-cnn": cifar10_cnn}


def bench(name, batch, warmup, iters, windows):
    torch.manual_seed(1)
    model, shape, opt_fn = NETS[name]()
    opt = opt_fn(model.parameters())
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(batch, *shape, dtype=torch.float32)
    y = torch.arange(batch) % 10

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    model.train()
    for _ in range(warmup):
        step()
    train, cpu = [], []
    for _ in range(windows):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(iters):
            step()
        train.append((time.perf_counter() - t0) * 1000 / iters)
        cpu.append((time.process_time() - c0) * 1000 / iters)
    model.eval()
    infer = []
    with torch.no_grad():
        for _ in range(3):
            model(x)
        for _ in range(windows):
            t0 = time.perf_counter()
            for _ in range(iters):
                model(x)
            infer.append((time.perf_counter() - t0) * 1000 / iters)
    mt, mi = statistics.median(train), statistics.median(infer)
    return {"net": name, "batch": batch, "layers": "pytorch", "train_ms": round(mt, 2),
            "train_windows_ms": [round(t, 1) for t in train], "train_img_s": round(batch * 1000 / mt),
            "train_cpu_ms": round(statistics.median(cpu), 1),
            "infer_img_s": round(batch * 1000 / mi),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("nets", nargs="*", default=list(NETS))
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--windows", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    a = ap.parse_args()
    for n in a.nets:
        if n not in NETS:
            ap.error(f"unknown net {n!r}; known: {', '.join(NETS)}")
    if a.threads:
        torch.set_num_threads(a.threads)
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    for n in a.nets:
        print(json.dumps(bench(n, a.batch, a.warmup, a.iters, a.windows)), flush=True)


if __name__ == "__main__":
    main()
