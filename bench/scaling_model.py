#!/usr/bin/env python3
"""A first-order model of data-parallel training with DL4J on Spark (docs/SCALING.md, issue 19).

For each net: parameters P (from `./cnnlab summary NET`, all parameters incl. batch-norm statistics), the
single-machine step time t1 at batch 128 on this 2-core machine (sources below), and the updater state
per parameter u (Momentum 1, RMSProp 1, Adam 2).

Parameter averaging (ParameterAveragingTrainingMaster, averaging frequency F): per averaging round every
worker receives the parameters and updater state (broadcast) and sends its own back (tree-aggregated), so
the driver's link carries about 2 * W * S bytes per round, S = 4 * P * (1 + u); DL4J averages the updater
state too (saveUpdater). A round is F steps of compute.

Gradient sharing (SharedTrainingMaster, threshold encoding; Strom 2015): each step a worker sends the
elements of its update above the threshold as 4-byte signed indices (or a 2-bit-per-element bitmap once
that is smaller, P / 4 bytes); every worker must receive the other W - 1 workers' messages:
(W - 1) * E bytes per step on each worker's link, E = 4 * rho * P, rho = fraction of elements sent. DL4J's
adaptive threshold keeps rho between 1e-4 and 1e-2 (AdaptiveThresholdAlgorithm defaults); the table uses
1e-3 and the bitmap bound for the upper end.

"Communication dominates" = the transfer time of a step exceeds its compute time. Two ways to use W workers:
 - strong scaling (cnnlab's default --batch-per-worker = batch / W: the same 128-example steps as one machine):
   compute per step t1 / W;
 - weak scaling (--batch-per-worker 128: W times the examples per step): compute per step t1.
Transfers are assumed not to overlap compute (parameter averaging is synchronous; sharing overlaps
in part, so its figures are a pessimistic bound). Latency, serialization and Spark's per-job overhead
(measured here: docs/SCALING.md) come on top.

    python3 bench/scaling_model.py
"""
import math

NETS = [
    # name, parameters (cnnlab summary: all parameters), updater state per parameter, t1 seconds per step
    # (batch 128) and where t1 comes from
    ("mnist-cnn", 12_106, 1, 0.0205, "docs/PERFORMANCE.md: 20.5 ms wall per step, idle, 1 thread"),
    ("cifar10-cnn", 1_250_858, 1, 0.370, "docs/PERFORMANCE.md: 358-380 ms CPU per step, 1 thread"),
    ("resnet18-cifar10", 11_183_562, 2, 10.7, "README results table: 12.0 images/s, 1 epoch, 2 cores"),
]
LINKS = [("1 Gbit/s", 1e9 / 8), ("10 Gbit/s", 10e9 / 8)]
RHO = 1e-3


def crossover(f):
    """Smallest W >= 2 with f(W) true (communication time > compute time), or None below 10,000."""
    for w in range(2, 10_001):
        if f(w):
            return w
    return None


def fmt_bytes(b):
    for unit, k in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= k:
            return f"{b / k:.3g} {unit}"
    return f"{b:.0f} B"


def main():
    print("| net | parameters | step t1 (batch 128, here) | averaging: bytes per worker per round (S) "
          "| sharing: bytes per worker per step (rho 1e-3 .. bitmap) |")
    print("|---|---:|---:|---:|---:|")
    for name, p, u, t1, _ in NETS:
        s = 4 * p * (1 + u)
        print(f"| {name} | {p:,} | {t1 * 1000:.1f} ms | {fmt_bytes(s)} (params {fmt_bytes(4 * p)}) "
              f"| {fmt_bytes(4 * RHO * p)} .. {fmt_bytes(p / 4)} |")
    print()
    print("Workers W at which a step's transfer time exceeds its compute time (averaging frequency 1; "
          "`>10000`: never below 10,000 workers):")
    print()
    print("| net | link | averaging, strong | averaging, weak | sharing rho 1e-3, strong | sharing rho 1e-3, weak "
          "| sharing bitmap, weak |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, p, u, t1, _ in NETS:
        s = 4 * p * (1 + u)
        e = 4 * RHO * p
        bitmap = p / 4
        for link, bps in LINKS:
            cells = [
                crossover(lambda w: 2 * w * s / bps > t1 / w),
                crossover(lambda w: 2 * w * s / bps > t1),
                crossover(lambda w: (w - 1) * e / bps > t1 / w),
                crossover(lambda w: (w - 1) * e / bps > t1),
                crossover(lambda w: (w - 1) * bitmap / bps > t1),
            ]
            txt = [">10000" if c is None else str(c) for c in cells]
            # W = 2 means: already with two workers the transfer takes longer than the compute
            print(f"| {name} | {link} | " + " | ".join(txt) + " |")
    print()
    print("Transfer time of one averaging round at W = 2 and W = 8 (driver link, 2 * W * S / bandwidth):")
    print()
    print("| net | link | W = 2 | W = 8 | compute per step t1 |")
    print("|---|---|---:|---:|---:|")
    for name, p, u, t1, _ in NETS:
        s = 4 * p * (1 + u)
        for link, bps in LINKS:
            print(f"| {name} | {link} | {2 * 2 * s / bps * 1000:.2f} ms | {2 * 8 * s / bps * 1000:.2f} ms "
                  f"| {t1 * 1000:.1f} ms |")
    print()
    for name, _, _, _, src in NETS:
        print(f"- {name}: t1 from {src}")


if __name__ == "__main__":
    main()
