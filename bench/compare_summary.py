#!/usr/bin/env python3
"""Summarises a bench/compare.sh sitting (NOT part of the Maven build): python3 bench/compare_summary.py DIR

Per round and net: cnnlab's training and inference images/s (`cnnlab bench nets`, median of its windows), PyTorch's
best over 1 and 2 threads in each set-up (tuned: OpenBLAS + GLIBC_TUNABLES malloc; plain: default malloc), the
ratio cnnlab / PyTorch tuned; then the medians over the rounds with the ratios' spread (min-max over rounds),
peak RSS beside PyTorch's, the book's 5-epoch MNIST run, and issue 14's targets.
"""
import glob
import json
import os
import re
import statistics
import sys

TARGET_TRAIN, FLOOR_TRAIN, TARGET_INFER, TARGET_MNIST_S = 1.0, 0.6, 1.0, 30.0


def load(d):
    cn, pt = {}, {}
    for f in glob.glob(os.path.join(d, "r*-cnnlab-*.json")):
        r, net = re.match(r"r(\d+)-cnnlab-(.+)\.json", os.path.basename(f)).groups()
        rows = json.load(open(f))
        if rows:
            cn[(int(r), net)] = rows[0]
    for f in glob.glob(os.path.join(d, "r*-pytorch-*.jsonl")):
        r, net = re.match(r"r(\d+)-pytorch-(.+)\.jsonl", os.path.basename(f)).groups()
        rows = [json.loads(l) for l in open(f) if l.strip()]
        if rows:
            pt[(int(r), net)] = rows
    return cn, pt


def best(rows, setup, key):
    rs = [r for r in rows if r["setup"] == setup]
    return max(rs, key=lambda r: r[key]) if rs else None


def fmt(v):
    return "-" if v is None else (f"{v:,.0f}" if v >= 100 else f"{v:.3g}")


def spread(vs):
    return f"{statistics.median(vs):.2f} ({min(vs):.2f}-{max(vs):.2f})" if vs else "-"


def main():
    d = sys.argv[1]
    cn, pt = load(d)
    order = ["mnist-cnn", "fashion-cnn", "cifar10-cnn", "resnet18-cifar10"]
    nets = sorted({n for _, n in set(cn) | set(pt)}, key=lambda n: (order.index(n) if n in order else 99, n))
    rounds = sorted({r for r, _ in set(cn) | set(pt)})
    print(f"# sitting {d}: rounds {rounds}; images/s at batch 128, float32, random data in memory;"
          " PyTorch figures are the best of 1 and 2 threads (threads in brackets)")
    print("| net | round | cnnlab train | PyTorch tuned train | PyTorch plain train | train ratio (÷ tuned) |"
          " cnnlab infer | PyTorch tuned infer | PyTorch plain infer | infer ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    agg = {n: {k: [] for k in ("ct", "tt", "pt", "rt", "ci", "ti", "pi", "ri", "crss", "trss", "prss")} for n in nets}
    for n in nets:
        for r in rounds:
            c, p = cn.get((r, n)), pt.get((r, n))
            if c is None or p is None:
                continue
            tt, ptt = best(p, "tuned", "train_img_s"), best(p, "plain", "train_img_s")
            ti, pti = best(p, "tuned", "infer_img_s"), best(p, "plain", "infer_img_s")
            a = agg[n]
            a["ct"].append(c["train_img_s"]); a["ci"].append(c["infer_img_s"])
            a["crss"].append(c.get("process_vmhwm_mb") or c["peak_rss_mb"])
            rt = ri = None
            if tt:
                a["tt"].append(tt["train_img_s"]); a["ti"].append(ti["infer_img_s"])
                a["trss"].append(tt["peak_rss_mb"])
                rt, ri = c["train_img_s"] / tt["train_img_s"], c["infer_img_s"] / ti["infer_img_s"]
                a["rt"].append(rt); a["ri"].append(ri)
            if ptt:
                a["pt"].append(ptt["train_img_s"]); a["pi"].append(pti["infer_img_s"])
                a["prss"].append(ptt["peak_rss_mb"])
            print(f"| {n} | {r} | {fmt(c['train_img_s'])} [{fmt(c['train_img_s_min'])}-{fmt(c['train_img_s_max'])}]"
                  f" | {fmt(tt and tt['train_img_s'])} ({tt and tt['threads']})"
                  f" | {fmt(ptt and ptt['train_img_s'])} ({ptt and ptt['threads']})"
                  f" | {rt:.2f} | {fmt(c['infer_img_s'])} | {fmt(ti and ti['infer_img_s'])} ({ti and ti['threads']})"
                  f" | {fmt(pti and pti['infer_img_s'])} ({pti and pti['threads']}) | {ri:.2f} |")
    print()
    print("| net | cnnlab train (median) | PyTorch tuned | PyTorch plain | train ratio ÷ tuned, median (min-max) |"
          " ÷ plain | cnnlab infer | PyTorch tuned infer | infer ratio, median (min-max) |"
          " peak RSS cnnlab / PyTorch tuned / plain (MB) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    verdicts = []
    for n in nets:
        a = agg[n]
        if not a["ct"]:
            continue
        med = lambda k: statistics.median(a[k]) if a[k] else None
        plain_ratio = [c / p for c, p in zip(a["ct"], a["pt"])]
        print(f"| {n} | {fmt(med('ct'))} | {fmt(med('tt'))} | {fmt(med('pt'))} | {spread(a['rt'])} |"
              f" {spread(plain_ratio)} | {fmt(med('ci'))} | {fmt(med('ti'))} | {spread(a['ri'])} |"
              f" {max(a['crss'])} / {max(a['trss']) if a['trss'] else '-'} / {max(a['prss']) if a['prss'] else '-'} |")
        if a["rt"]:
            m = statistics.median(a["rt"])
            v = "met" if m >= TARGET_TRAIN else ("below goal, above the 0.6 floor" if m >= FLOOR_TRAIN else
                                                  "BELOW the 0.6 floor")
            verdicts.append(f"training {n}: {m:.2f}x PyTorch tuned (goal >= {TARGET_TRAIN}, floor {FLOOR_TRAIN}): {v}")
            mi = statistics.median(a["ri"])
            verdicts.append(f"inference {n}: {mi:.2f}x (goal >= {TARGET_INFER}): {'met' if mi >= TARGET_INFER else 'not met'}")
    wall_f = os.path.join(d, "mnist-wall.json")
    if os.path.exists(wall_f):
        wall = json.load(open(wall_f))["wall_s"]
        t = open(os.path.join(d, "mnist-time.txt")).read() if os.path.exists(os.path.join(d, "mnist-time.txt")) else ""
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
        user = re.search(r"User time \(seconds\): ([\d.]+)", t)
        sys_ = re.search(r"System time \(seconds\): ([\d.]+)", t)
        acc = ""
        rf = os.path.join(d, "mnist-result.json")
        if os.path.exists(rf):
            res = json.load(open(rf))
            acc = (f", test accuracy last {res.get('test_accuracy_last', 0):.2%}"
                   f" / best-validation model {res.get('test_accuracy_best', 0):.2%}")
        cpu = f", CPU {float(user.group(1)) + float(sys_.group(1)):.1f} s" if user and sys_ else ""
        print(f"\nbook's 5-epoch MNIST run (./cnnlab train mnist-cnn, JVM start to report): {wall:.1f} s wall{cpu}"
              f", peak RSS {int(rss.group(1)) // 1024 if rss else '?'} MiB{acc}")
        verdicts.append(f"5-epoch MNIST end to end: {wall:.1f} s (target <= {TARGET_MNIST_S:.0f} s): "
                        f"{'met' if wall <= TARGET_MNIST_S else 'not met'}")
    any_pt = next(iter(pt.values()), None)
    if any_pt:
        env = any_pt[0]["env"]
        print(f"\nPyTorch {env['torch']}; BLAS loaded: " + "; ".join(env["blas"]["files"]))
        for i in env["blas"].get("threadpoolctl") or []:
            print(f"  threadpoolctl: {i}")
        print("allocators: " + "; ".join(sorted({f"{r['setup']}: {r['env']['malloc']}" for rows in pt.values()
                                                 for r in rows})))
    print("\ntargets (issue 14):")
    for v in verdicts:
        print("  " + v)


if __name__ == "__main__":
    main()
