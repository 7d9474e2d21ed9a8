#!/usr/bin/env python3
"""PyTorch CPU peer for cnnlab's speed figures (NOT part of the Maven build; docs/PERFORMANCE.md).

Sets PyTorch up the way a performance-minded user runs it and measures the book's nets layer for layer as
cnnlab builds them: float32, random data in memory, training = forward + backward + update with the same
optimiser type as cnnlab, inference in eval mode without autograd, peak RSS.

    apt-get install -y python3-torch libopenblas0-openmp python3-threadpoolctl libjemalloc2
    /usr/bin/python3 bench/pytorch_bench.py [--setups tuned,plain] [--threads 1,2] [--batch 128]
        [--warmup 2] [--windows 3] [--window-seconds 2] [--json] [net ...]
    /usr/bin/python3 bench/pytorch_bench.py --profile resnet18-cifar10 [--steps 3] [--threads 1]

Set-ups (each measurement runs in a fresh child process, so that the allocator environment is in place before
the process starts and each peak RSS belongs to one net):
  tuned     glibc malloc with GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=4294967296
            (PyTorch's CPU tuning advice: keep freed blocks instead of returning them to the kernel every step)
  jemalloc  LD_PRELOAD=libjemalloc.so.2 (the other form of the same advice)
  plain     the plain install: default malloc, no tunables
Every child prints the BLAS library it actually loaded (threadpoolctl, /proc/self/maps) and the allocator.
The summary gives each set-up's best of the thread counts.

Nets: mnist-cnn (18.4, table 18-5), fashion-cnn (18.5.3), cifar10-cnn (18.6.3, the Keras model),
resnet18-cifar10 (3x3 stem 64, no max-pool, basic blocks [2,2,2,2], global average pool, FC 10; 11,173,962
parameters, asserted). Optimisers as in cnnlab: mnist/fashion classical momentum 0.9 (the book's Momentum,
cnnlab's BookMomentum), cifar10-cnn RMSprop (rho 0.9, eps 1e-7), resnet18-cifar10 Adam 1e-3. Also the classic nets'
small variants (memory table) and cifar10-fast, airbench94's network (run it with --batch 1024).

--profile NET: one training step's time by operator (torch.autograd.profiler), split into forward / backward /
updater and grouped (convolution, batch norm, adds, activations, pooling, dense, loss, updater), plus the time
outside any operator (step wall time minus the operators' summed self time). With --onednn-verbose the child also
runs with ONEDNN_VERBOSE=1 and splits oneDNN's time by primitive (convolution forward / backward_data /
backward_weights, reorders, ...) via bench/onednn_verbose.py.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TUNABLES = "glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=4294967296"
JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"
SETUPS = {
    "tuned": {"GLIBC_TUNABLES": TUNABLES},
    "jemalloc": {"LD_PRELOAD": JEMALLOC},
    "plain": {},
}
NET_NAMES = ["mnist-cnn", "fashion-cnn", "cifar10-cnn", "resnet18-cifar10"]
RESNET18_CIFAR_PARAMS = 11_173_962


# ---------------------------------------------------------------------------------------------- networks

def build(name):
    """(model, input shape, optimiser factory) for a net name; torch imported lazily (driver needs none)."""
    import torch
    import torch.nn as nn
    sys.path.insert(0, HERE)
    import step_replay

    if name in ("mnist-cnn", "fashion-cnn"):
        lr = 0.1 if name == "mnist-cnn" else 0.01
        return (nn.Sequential(*step_replay.LAYERS[name]()), (1, 28, 28),
                lambda p: torch.optim.SGD(p, lr=lr, momentum=0.9))
    if name == "cifar10-cnn":
        # the book's Keras model (18.6.3); Keras Dropout(rate) = nn.Dropout(rate)
        return nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
            nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
            nn.Conv2d(64, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
            nn.Flatten(), nn.Linear(64 * 6 * 6, 512), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(512, 10)), (3, 32, 32), lambda p: torch.optim.RMSprop(p, lr=1e-4, alpha=0.9, eps=1e-7)
    if name == "resnet18-cifar10":
        model = resnet18_cifar()
        n = sum(p.numel() for p in model.parameters())
        assert n == RESNET18_CIFAR_PARAMS, f"resnet18-cifar10 has {n} parameters, expected {RESNET18_CIFAR_PARAMS}"
        return model, (3, 32, 32), lambda p: torch.optim.Adam(p, lr=1e-3)
    if name in CLASSIC:
        model, shape = CLASSIC[name]()
        if name == "cifar10-fast":  # airbench94: Nesterov SGD, momentum 0.85, label smoothing 0.2 (loss below)
            return model, shape, lambda p: torch.optim.SGD([q for q in p if q.requires_grad], lr=0.01, momentum=0.85,
                                                           nesterov=True, weight_decay=5e-4)
        return model, shape, lambda p: (torch.optim.SGD(p, lr=0.01, momentum=0.9, nesterov=True)
                                        if name == "lenet5-mnist" else torch.optim.Adam(p, lr=1e-3))
    raise SystemExit(f"pytorch_bench: unknown net {name!r}; known: {', '.join(NET_NAMES + list(CLASSIC))}")


# The classic nets' small variants as cnnlab builds them (cnnlab.models.classic.*.small(), ClassicExperiments):
# for the memory comparison (peak RSS at batch 128) of issue 14 part 4. Learnable parameters + BN running
# statistics equal cnnlab's parameter count (DL4J keeps the running statistics among the parameters).

def conv_unit(cin, cout, k, s, p, bn=True):
    import torch.nn as nn
    if not bn:
        return [nn.Conv2d(cin, cout, k, s, p), nn.ReLU()]
    return [nn.Conv2d(cin, cout, k, s, p, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


def lenet5_mnist():
    import torch.nn as nn
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2), nn.Conv2d(6, 16, 5), nn.Tanh(),
                         nn.AvgPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(),
                         nn.Linear(84, 10)), (1, 28, 28)


def vgg16_cifar():
    import torch.nn as nn
    layers, cin = [], 3
    for stage in ((64, 64), (128, 128), (256, 256, 256), (512, 512, 512), (512, 512, 512)):
        for c in stage:
            layers += [nn.Conv2d(cin, c, 3, 1, 1), nn.BatchNorm2d(c), nn.ReLU()]
            cin = c
        layers.append(nn.MaxPool2d(2))
    layers += [nn.Flatten(), nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 512), nn.ReLU(),
               nn.Dropout(0.5), nn.Linear(512, 10)]
    return nn.Sequential(*layers), (3, 32, 32)


def googlenet_cifar():
    """GoogLeNet with BN, stride-1 3x3 stem, no stem pools, aux heads on 4a and 4d (loss weight 0.3)."""
    import torch
    import torch.nn as nn
    table = [(64, 96, 128, 16, 32, 32), (128, 128, 192, 32, 96, 64), (192, 96, 208, 16, 48, 64),
             (160, 112, 224, 24, 64, 64), (128, 128, 256, 24, 64, 64), (112, 144, 288, 32, 64, 64),
             (256, 160, 320, 32, 128, 128), (256, 160, 320, 32, 128, 128), (384, 192, 384, 48, 128, 128)]

    class Inception(nn.Module):
        def __init__(self, cin, c):
            super().__init__()
            self.b1 = nn.Sequential(*conv_unit(cin, c[0], 1, 1, 0))
            self.b2 = nn.Sequential(*conv_unit(cin, c[1], 1, 1, 0), *conv_unit(c[1], c[2], 3, 1, 1))
            self.b3 = nn.Sequential(*conv_unit(cin, c[3], 1, 1, 0), *conv_unit(c[3], c[4], 5, 1, 2))
            self.b4 = nn.Sequential(nn.MaxPool2d(3, 1, 1), *conv_unit(cin, c[5], 1, 1, 0))

        def forward(self, x):
            return torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], 1)

    def aux(cin):
        return nn.Sequential(nn.AvgPool2d(5, 3), *conv_unit(cin, 128, 1, 1, 0), nn.Flatten(),
                             nn.Linear(128 * 4 * 4, 1024), nn.ReLU(), nn.Dropout(0.7), nn.Linear(1024, 10))

    class GoogLeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(*conv_unit(3, 64, 3, 1, 1), *conv_unit(64, 64, 1, 1, 0),
                                      *conv_unit(64, 192, 3, 1, 1))
            cin, mods = 192, []
            for c in table:
                mods.append(Inception(cin, c))
                cin = c[0] + c[2] + c[4] + c[5]
            self.mods = nn.ModuleList(mods)
            self.aux1, self.aux2 = aux(512), aux(528)
            self.pool = nn.MaxPool2d(3, 2, 1)
            self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.4), nn.Linear(1024, 10))

        def forward(self, x):
            x, auxes = self.stem(x), []
            for i, m in enumerate(self.mods):
                if i in (2, 7):
                    x = self.pool(x)
                x = m(x)
                if self.training and i == 2:
                    auxes.append(self.aux1(x))
                if self.training and i == 5:
                    auxes.append(self.aux2(x))
            out = self.head(x)
            return (out, *auxes) if self.training else out

    return GoogLeNet(), (3, 32, 32)


def densenet121_cifar():
    """DenseNet-BC-121, k = 32, blocks 6/12/24/16, 3x3/1 stem without pool, naive concatenation (as cnnlab)."""
    import torch
    import torch.nn as nn

    class DenseLayer(nn.Module):
        def __init__(self, cin):
            super().__init__()
            self.f = nn.Sequential(nn.BatchNorm2d(cin), nn.ReLU(), nn.Conv2d(cin, 128, 1, bias=False),
                                   nn.BatchNorm2d(128), nn.ReLU(), nn.Conv2d(128, 32, 3, 1, 1, bias=False))

        def forward(self, x):
            return torch.cat([x, self.f(x)], 1)

    layers, c = [nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU()], 64
    for b, n in enumerate((6, 12, 24, 16)):
        for _ in range(n):
            layers.append(DenseLayer(c))
            c += 32
        if b < 3:
            layers += [nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, c // 2, 1, bias=False), nn.AvgPool2d(2)]
            c //= 2
    layers += [nn.BatchNorm2d(c), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10)]
    return nn.Sequential(*layers), (3, 32, 32)


def airbench94():
    """cifar10-fast as airbench94 (legacy/airbench94.py) builds it, in float32: frozen 2x2 whitening conv (24
    filters, bias trains), GELU, blocks 64/256/256 (conv 3x3 no bias, max-pool 2, BN without scale, GELU, conv,
    BN, GELU), max-pool 3, linear 256->10 without bias, logits / 9. The whitening weights need no gradient, as in
    airbench (its bias does, as in airbench's first 3 epochs)."""
    import torch
    import torch.nn as nn

    def bn(c):
        b = nn.BatchNorm2d(c, momentum=0.6, eps=1e-12)
        b.weight.requires_grad = False
        return b

    whiten = nn.Conv2d(3, 24, 2, padding=0)
    whiten.weight.requires_grad = False
    layers, cin = [whiten, nn.GELU()], 24
    for w in (64, 256, 256):
        layers += [nn.Conv2d(cin, w, 3, padding=1, bias=False), nn.MaxPool2d(2), bn(w), nn.GELU(),
                   nn.Conv2d(w, w, 3, padding=1, bias=False), bn(w), nn.GELU()]
        cin = w

    class Scale(nn.Module):
        def forward(self, x):
            return x / 9

    layers += [nn.MaxPool2d(3), nn.Flatten(), nn.Linear(256, 10, bias=False), Scale()]
    return nn.Sequential(*layers), (3, 32, 32)


CLASSIC = {"lenet5-mnist": lenet5_mnist, "vgg16-cifar10": vgg16_cifar, "googlenet-cifar10": googlenet_cifar,
           "densenet121-cifar10": densenet121_cifar, "cifar10-fast": airbench94}


def resnet18_cifar():
    """ResNet-18 as cnnlab's ResNet.resnet18().small(): 3x3/1 stem, basic blocks, projection shortcuts (option B)."""
    import torch
    import torch.nn as nn

    class Basic(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.b1 = nn.BatchNorm2d(cout)
            self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.b2 = nn.BatchNorm2d(cout)
            self.short = (nn.Sequential() if stride == 1 and cin == cout else
                          nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout)))

        def forward(self, x):
            y = torch.relu(self.b1(self.c1(x)))
            return torch.relu(self.b2(self.c2(y)) + self.short(x))

    layers = [nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU()]
    cin = 64
    for cout, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        layers += [Basic(cin, cout, stride), Basic(cout, cout, 1)]
        cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 10)]
    return nn.Sequential(*layers)


# ---------------------------------------------------------------------------------------------- the child

def total_loss(loss_fn, out, y):
    """Cross-entropy; GoogLeNet's auxiliary outputs add theirs with weight 0.3 (as cnnlab's ScaledLoss)."""
    if isinstance(out, tuple):
        return loss_fn(out[0], y) + sum(0.3 * loss_fn(o, y) for o in out[1:])
    return loss_fn(out, y)


def environment():
    """What this process actually runs on: BLAS library loaded, allocator, threads."""
    import torch
    libs = set()
    for line in open("/proc/self/maps"):
        parts = line.split()
        if len(parts) >= 6 and ".so" in os.path.basename(parts[-1]):
            libs.add(parts[-1])
    libs = sorted(libs)
    blas_files = [p for p in libs if "blas" in os.path.basename(p).lower() or "lapack" in os.path.basename(p).lower()]
    blas = {"files": [f"{p} -> {os.path.realpath(p)}" if os.path.realpath(p) != p else p for p in blas_files]}
    try:
        from threadpoolctl import threadpool_info
        blas["threadpoolctl"] = [{k: i.get(k) for k in ("internal_api", "version", "threading_layer", "num_threads",
                                                          "filepath")} for i in threadpool_info()
                                 if i.get("user_api") == "blas"]
    except ImportError:
        blas["threadpoolctl"] = "not installed"
    jemalloc = any("jemalloc" in os.path.basename(p) for p in libs)
    tun = os.environ.get("GLIBC_TUNABLES")
    malloc = "jemalloc (LD_PRELOAD)" if jemalloc else ("glibc, GLIBC_TUNABLES=" + tun if tun else "glibc default")
    return {"torch": torch.__version__, "threads": torch.get_num_threads(), "malloc": malloc, "blas": blas}


def vm_hwm_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return -1


def rates(step, batch, warmup, windows, window_s, warmup_s=0.0):
    t0 = time.perf_counter()
    i = 0
    while i < warmup or time.perf_counter() - t0 < warmup_s:
        step()
        i += 1
    out = []
    for _ in range(windows):
        n, t0 = 0, time.perf_counter()
        while True:
            step()
            n += 1
            dt = time.perf_counter() - t0
            if dt >= window_s:
                break
        out.append(n * batch / dt)
    return out


def setup_torch(threads):
    import torch
    torch.set_num_threads(threads)
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(threads, user_api="blas")
    except ImportError:
        pass
    return torch


def training_setup(a):
    """torch, the net, its optimiser, the loss and one random batch (seeded), as both children use them."""
    torch = setup_torch(a.threads)
    import torch.nn as nn
    torch.manual_seed(1)
    model, shape, opt_fn = build(a.net)
    x = torch.rand(a.batch, *shape, dtype=torch.float32)
    loss = nn.CrossEntropyLoss(label_smoothing=0.2 if a.net == "cifar10-fast" else 0.0)
    return torch, model, opt_fn(model.parameters()), loss, x, torch.arange(a.batch) % 10


def worker(a):
    torch, model, opt, loss_fn, x, y = training_setup(a)

    def train_step():
        opt.zero_grad()
        loss = total_loss(loss_fn, model(x), y)
        loss.backward()
        opt.step()

    model.train()
    train = rates(train_step, a.batch, a.warmup, a.windows, a.window_seconds, a.warmup_seconds)
    model.eval()
    with torch.no_grad():
        infer = rates(lambda: model(x), a.batch, max(1, a.warmup), a.windows, a.window_seconds, a.warmup_seconds)
    row = {"net": a.net, "framework": "pytorch", "setup": a.setup, "threads": a.threads, "batch": a.batch,
           "params": sum(p.numel() for p in model.parameters()),
           "params_with_bn_stats": sum(p.numel() for p in model.parameters()) + sum(
               b.numel() for n_, b in model.named_buffers() if n_.endswith(("running_mean", "running_var"))),
           "train_img_s": round(statistics.median(train), 1), "train_img_s_min": round(min(train), 1),
           "train_img_s_max": round(max(train), 1),
           "infer_img_s": round(statistics.median(infer), 1), "infer_img_s_min": round(min(infer), 1),
           "infer_img_s_max": round(max(infer), 1),
           "peak_rss_mb": round(vm_hwm_mib() * 1.048576), "env": environment()}
    print("ROW " + json.dumps(row), flush=True)


# ---------------------------------------------------------------------------------------------- profile

GROUPS = [  # (group, substrings of aten op names), first match wins
    ("convolution", ("conv", "mkldnn_convolution")),
    ("batch norm", ("batch_norm",)),
    ("activation (ReLU)", ("relu", "threshold", "clamp_min")),
    ("pooling", ("pool",)),
    ("dense (matmul)", ("addmm", "mm", "linear", "matmul")),
    ("dropout", ("dropout", "bernoulli")),
    ("loss + softmax", ("softmax", "nll", "cross_entropy")),
    ("adds", ("add",)),
]


def group_of(name):
    n = name.lower()
    for g, keys in GROUPS:
        if any(k in n for k in keys):
            return g
    return "other ops"


def profile(a):
    torch, model, opt, loss_fn, x, y = training_setup(a)
    from torch.autograd.profiler import record_function
    model.train()

    def step():
        with record_function("PHASE forward"):
            opt.zero_grad()
            loss = total_loss(loss_fn, model(x), y)
        with record_function("PHASE backward"):
            loss.backward()
        with record_function("PHASE updater"):
            opt.step()

    for _ in range(a.warmup):
        step()
    walls = []
    with torch.autograd.profiler.profile() as prof:
        for _ in range(a.steps):
            t0 = time.perf_counter()
            step()
            walls.append((time.perf_counter() - t0) * 1000)
    evs = [e for e in prof.function_events]
    phases = [e for e in evs if e.name.startswith("PHASE ")]

    def phase_of(e):
        for p in phases:
            if p.time_range.start <= e.time_range.start and e.time_range.end <= p.time_range.end and p.thread == e.thread:
                return p.name[6:]
        return "between phases"

    table = {}
    other = {}
    phase_wall = {}
    for p in phases:
        phase_wall[p.name[6:]] = phase_wall.get(p.name[6:], 0) + p.cpu_time_total / 1000
    for e in evs:
        if e.name.startswith("PHASE "):
            continue
        ph = phase_of(e)
        g = "updater" if ph == "updater" else group_of(e.name)
        key = (ph, g)
        table[key] = table.get(key, 0) + e.self_cpu_time_total / 1000
        if g == "other ops":
            other[e.name] = other.get(e.name, 0) + e.self_cpu_time_total / 1000
    steps = a.steps
    ops_total = sum(table.values()) / steps
    step_ms = statistics.median(walls)
    rows = [{"phase": ph, "group": g, "ms": round(v / steps, 2)} for (ph, g), v in sorted(table.items())]
    out = {"net": a.net, "framework": "pytorch", "threads": a.threads, "setup": a.setup, "batch": a.batch,
           "steps": steps, "step_ms_profiled": round(statistics.mean(walls), 1),
           "phase_ms": {k: round(v / steps, 1) for k, v in phase_wall.items()},
           "ops_ms": round(ops_total, 1), "outside_ops_ms": round(statistics.mean(walls) - ops_total, 1),
           "rows": rows, "other_ops_ms": {k: round(v / steps, 2) for k, v in sorted(other.items(), key=lambda kv: -kv[1])[:8]},
           "env": environment()}
    print("PROFILE " + json.dumps(out), flush=True)
    print(f"# {a.net}: profiled step {statistics.mean(walls):.1f} ms (median {step_ms:.1f}); "
          f"operators' self time {ops_total:.1f} ms; outside operators {statistics.mean(walls) - ops_total:.1f} ms",
          file=sys.stderr)
    by = {}
    for r in rows:
        by.setdefault(r["phase"], []).append(r)
    for ph, rs in by.items():
        print(f"#   {ph}: " + ", ".join(f"{r['group']} {r['ms']}" for r in sorted(rs, key=lambda r: -r["ms"])),
              file=sys.stderr)


# ---------------------------------------------------------------------------------------------- driver

def child_env(setup, threads, extra=None):
    env = {k: v for k, v in os.environ.items() if k not in ("GLIBC_TUNABLES", "LD_PRELOAD")
           and not k.startswith("MALLOC_")}
    env.update(SETUPS[setup])
    env["OMP_NUM_THREADS"] = str(threads)
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    env.update(extra or {})
    return env


def run_child(args, env):
    p = subprocess.run([sys.executable, os.path.abspath(__file__)] + args, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit(f"pytorch_bench: child {' '.join(args)} failed with exit code {p.returncode}")
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("nets", nargs="*")
    ap.add_argument("--setups", default="tuned,plain", help="comma list of: " + ", ".join(SETUPS))
    ap.add_argument("--threads", default="1,2", help="comma list of thread counts (default 1,2)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--warmup-seconds", type=float, default=0.0, help="and warm up until this many seconds passed")
    ap.add_argument("--windows", type=int, default=3)
    ap.add_argument("--window-seconds", type=float, default=2.0)
    ap.add_argument("--json", action="store_true", help="print one JSON row per measurement only")
    ap.add_argument("--profile", metavar="NET", help="per-operator profile of one training step of NET")
    ap.add_argument("--steps", type=int, default=3, help="profiled steps (--profile)")
    ap.add_argument("--onednn-verbose", action="store_true", help="with --profile: split oneDNN time by primitive")
    ap.add_argument("--worker", metavar="NET", help=argparse.SUPPRESS)
    ap.add_argument("--worker-profile", metavar="NET", help=argparse.SUPPRESS)
    ap.add_argument("--setup", default="tuned", help=argparse.SUPPRESS)
    a = ap.parse_args()

    if a.worker or a.worker_profile:
        a.net = a.worker or a.worker_profile
        a.threads = int(a.threads)
        (worker if a.worker else profile)(a)
        return

    setups = a.setups.split(",")
    threads = [int(t) for t in a.threads.split(",")]
    for s in setups:
        if s not in SETUPS:
            ap.error(f"unknown set-up {s!r}; known: {', '.join(SETUPS)}")
    common = ["--batch", str(a.batch), "--warmup", str(a.warmup), "--warmup-seconds", str(a.warmup_seconds),
              "--windows", str(a.windows),
              "--window-seconds", str(a.window_seconds)]

    if a.profile:
        build_check = a.profile if a.profile in NET_NAMES or a.profile in CLASSIC else ap.error(
            f"unknown net {a.profile!r}")
        extra = {"ONEDNN_VERBOSE": "1", "DNNL_VERBOSE": "1"} if a.onednn_verbose else None
        p = run_child(["--worker-profile", build_check, "--setup", setups[0], "--threads", str(threads[0]),
                       "--steps", str(a.steps)] + common, child_env(setups[0], threads[0], extra))
        sys.stderr.write(p.stderr)
        for line in p.stdout.splitlines():
            if line.startswith("PROFILE "):
                print(line[8:])
        if a.onednn_verbose:
            sys.path.insert(0, HERE)
            import onednn_verbose
            print(json.dumps(onednn_verbose.summarise(p.stdout.splitlines(), a.warmup + a.steps, a.steps,
                                                      framework="pytorch", net=a.profile)))
        return

    nets = a.nets or NET_NAMES
    for n in nets:
        if n not in NET_NAMES and n not in CLASSIC:
            ap.error(f"unknown net {n!r}; known: {', '.join(NET_NAMES + list(CLASSIC))}")
    rows = []
    for n in nets:
        for s in setups:
            for t in threads:
                p = run_child(["--worker", n, "--setup", s, "--threads", str(t)] + common, child_env(s, t))
                row = next(json.loads(l[4:]) for l in p.stdout.splitlines() if l.startswith("ROW "))
                rows.append(row)
                if a.json:
                    print(json.dumps(row), flush=True)
                else:
                    print(f"{n:18s} {s:8s} {t} thr: train {row['train_img_s']:9.1f} img/s "
                          f"[{row['train_img_s_min']}-{row['train_img_s_max']}]  infer {row['infer_img_s']:9.1f} "
                          f"[{row['infer_img_s_min']}-{row['infer_img_s_max']}]  peak RSS {row['peak_rss_mb']} MB",
                          flush=True)
    if not a.json and rows:
        env = rows[0]["env"]
        print(f"# torch {env['torch']}; BLAS loaded: {json.dumps(env['blas'])}")
        print("# allocators: " + "; ".join(sorted({f"{r['setup']}: {r['env']['malloc']}" for r in rows})))
        print("# best of the thread counts per set-up:")
        for n in nets:
            for s in setups:
                rs = [r for r in rows if r["net"] == n and r["setup"] == s]
                bt = max(rs, key=lambda r: r["train_img_s"])
                bi = max(rs, key=lambda r: r["infer_img_s"])
                print(f"{n:18s} {s:8s} train {bt['train_img_s']:9.1f} img/s ({bt['threads']} thr)  "
                      f"infer {bi['infer_img_s']:9.1f} ({bi['threads']} thr)  peak RSS {bt['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
