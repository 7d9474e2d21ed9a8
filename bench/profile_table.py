#!/usr/bin/env python3
"""Side-by-side tables of one training step, DL4J next to PyTorch (NOT part of the Maven build; bench/profile.sh).

    python3 bench/profile_table.py DL4J_PROFILE.json DL4J_ONEDNN.json PYTORCH.jsonl

DL4J_PROFILE.json: the PROFILE line of cnnlab.training.StepProfile; DL4J_ONEDNN.json: bench/onednn_verbose.py on
its log; PYTORCH.jsonl: bench/pytorch_bench.py --profile NET --onednn-verbose (profile line, then oneDNN line).
Prints ms per training step by phase and operation group, the time outside any operation, and oneDNN's own time
by primitive (convolution forward / backward_data = data gradient / backward_weights = weight gradient, ...).
"""
import json
import sys

PHASES = ["forward", "backward", "updater"]


def cells(p):
    out = {}
    for r in p["rows"]:
        ph = r["phase"] if r["phase"] in PHASES else "other"
        out[(ph, r["group"])] = out.get((ph, r["group"]), 0) + r["ms"]
    return out


def main():
    dl4j = json.load(open(sys.argv[1]))
    dl4j_dnn = json.load(open(sys.argv[2]))
    lines = [json.loads(l) for l in open(sys.argv[3]) if l.strip()]
    pt, pt_dnn = lines[0], (lines[1] if len(lines) > 1 else {})
    a, b = cells(dl4j), cells(pt)
    print(f"### {dl4j['net']}, batch {dl4j['batch']}: ms per training step (mean of {dl4j['steps']} profiled steps)")
    print(f"DL4J: {dl4j.get('threads', '?')} thread(s); PyTorch: {pt['threads']} thread(s), {pt['env']['malloc']}\n")
    print("| phase | operations | DL4J (cnnlab) | PyTorch |")
    print("|---|---|---|---|")
    keys = sorted(set(a) | set(b), key=lambda k: ((PHASES + ["other"]).index(k[0]), -(a.get(k, 0) + b.get(k, 0))))
    for k in keys:
        if a.get(k, 0) < 0.05 and b.get(k, 0) < 0.05:
            continue
        print(f"| {k[0]} | {k[1]} | {a.get(k, 0):.1f} | {b.get(k, 0):.1f} |")
    print(f"| | **sum of operations** | {dl4j['ops_ms']:.1f} | {pt['ops_ms']:.1f} |")
    print(f"| | **outside any operation** (step minus operations) | {dl4j['outside_ops_ms']:.1f} |"
          f" {pt['outside_ops_ms']:.1f} |")
    print(f"| | **training step** (profiled) | {dl4j['step_ms_profiled']:.1f} | {pt['step_ms_profiled']:.1f} |")
    pw_a, pw_b = dl4j.get("phase_ms", {}), pt.get("phase_ms", {})
    print("| | phase wall times: " + ", ".join(f"{p} {pw_a.get(p, 0):.0f} / {pw_b.get(p, 0):.0f}" for p in PHASES)
          + " | | |")
    oa, ob = dl4j.get("other_ops_ms", {}), pt.get("other_ops_ms", {})
    print("\n'other ops', largest: DL4J " + ", ".join(f"{k} {v}" for k, v in list(oa.items())[:6])
          + "; PyTorch " + ", ".join(f"{k} {v}" for k, v in list(ob.items())[:6]))
    da, db = dl4j_dnn.get("by_primitive_ms", {}), pt_dnn.get("by_primitive_ms", {})
    if da or db:
        print(f"\noneDNN's own time per step, by primitive (ONEDNN_VERBOSE; DL4J {dl4j_dnn.get('onednn_ms_per_step', '-')}"
              f" ms in {dl4j_dnn.get('primitives_per_step', '-')} primitive runs, PyTorch"
              f" {pt_dnn.get('onednn_ms_per_step', '-')} ms in {pt_dnn.get('primitives_per_step', '-')}):\n")
        print("| oneDNN primitive | DL4J | PyTorch |")
        print("|---|---|---|")
        for k in sorted(set(da) | set(db), key=lambda k: -(da.get(k, 0) + db.get(k, 0))):
            print(f"| {k} | {da.get(k, 0):.1f} | {db.get(k, 0):.1f} |")


if __name__ == "__main__":
    main()
