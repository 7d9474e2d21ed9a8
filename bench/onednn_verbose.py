#!/usr/bin/env python3
"""Sums oneDNN's own execution times by primitive (NOT part of the Maven build; docs/PERFORMANCE.md).

With ONEDNN_VERBOSE=1 (oneDNN 2.x; older builds read DNNL_VERBOSE=1) every primitive execution prints a line
    onednn_verbose,exec,cpu,convolution,<impl>,backward_weights,<memory formats>,<attrs>,<alg>,<shape>,<ms>
This splits a training step's convolution time into forward, data gradient (backward_data) and weight gradient
(backward_weights), and shows the reorders (layout conversions) between primitives. Works on any process that
runs oneDNN: PyTorch's bundled oneDNN and libnd4j's linux-x86_64-onednn build alike.

    python3 bench/onednn_verbose.py LOG TOTAL_STEPS LAST_STEPS [--framework F] [--net N]

takes the exec lines of the last LAST_STEPS of TOTAL_STEPS identical steps (the lines are divided evenly among the
steps; warm-up steps come first) and prints one JSON object: ms per step by primitive and propagation kind.
"""
import argparse
import json
import sys


def summarise(lines, total_steps, last_steps, framework="", net=""):
    execs = []
    for line in lines:
        f = line.strip().split(",")
        if len(f) > 6 and f[0] in ("onednn_verbose", "dnnl_verbose") and f[1] == "exec":
            try:
                ms = float(f[-1])
            except ValueError:
                continue
            execs.append((f[3], f[5], ms))
    per_step = len(execs) // total_steps if total_steps else 0
    if per_step == 0:
        return {"framework": framework, "net": net, "error": "no oneDNN exec lines (ONEDNN_VERBOSE not honoured?)"}
    tail = execs[len(execs) - per_step * last_steps:]
    sums = {}
    for prim, prop, ms in tail:
        key = prim + " " + prop
        sums[key] = sums.get(key, 0.0) + ms
    return {"framework": framework, "net": net, "primitives_per_step": per_step,
            "uneven": len(execs) % total_steps != 0,
            "onednn_ms_per_step": round(sum(sums.values()) / last_steps, 1),
            "by_primitive_ms": {k: round(v / last_steps, 2) for k, v in sorted(sums.items(), key=lambda kv: -kv[1])}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("log")
    ap.add_argument("total_steps", type=int)
    ap.add_argument("last_steps", type=int)
    ap.add_argument("--framework", default="")
    ap.add_argument("--net", default="")
    a = ap.parse_args()
    with open(a.log, errors="replace") as f:
        print(json.dumps(summarise(f, a.total_steps, a.last_steps, a.framework, a.net)))


if __name__ == "__main__":
    sys.exit(main())
