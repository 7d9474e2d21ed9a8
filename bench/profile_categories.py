#!/usr/bin/env python3
"""Share of sampled CPU time per category, from async-profiler's collapsed stacks (bench/async_profile.sh).

Each sample goes to the first rule (in the order below) whose marker appears anywhere in its stack: cnnlab's
Java layers first (with the memory copies and native ops they call), then oneDNN's primitives (their
JIT-generated kernels have no symbols, but the primitive that runs them is on the stack), then DL4J's machinery.
    bench/profile_categories.py FILE.collapsed
"""
import collections
import sys

RULES = [  # (category, marker in any frame of the sample's stack); the first rule that matches wins
    ("JavaCPP physical-memory check (/proc/self/statm)", "physicalBytes"),
    ("cnnlab ReLU backward (Java)", "CpuRelu.backprop"), ("cnnlab ReLU backward (Java)", "CpuRelu.lambda$backprop"),
    ("cnnlab ReLU forward", "CpuRelu.activate"),
    ("cnnlab pooling (Java)", "CpuPooling.activate"), ("cnnlab pooling (Java)", "CpuPooling.backprop"),
    ("cnnlab pooling (Java)", "CpuPooling.lambda$activate"), ("cnnlab pooling (Java)", "CpuPooling.lambda$backprop"),
    ("cnnlab batch norm (Java)", "CpuBatchNorm"),
    ("first layer dW swap/dB (Java)", "InputConvHelper.swapFirstTwo"),
    ("oneDNN: creating primitives", "dnnl_primitive_desc_iterator_create"), ("oneDNN: creating primitives", "dnnl_primitive_create"),
    ("oneDNN reorders (layout conversions)", "reorder"),
    ("libnd4j zero-fills conv2d_bp outputs", "getNullifiedZ"),
    ("convolution forward (oneDNN)", "convolution_fwd"), ("convolution backward data (oneDNN)", "convolution_bwd_data"),
    ("convolution backward weights (oneDNN)", "convolution_bwd_weights"),
    ("conv output kept for backprop (CacheMode)", "unsafeDuplication"),
    ("dense layers (BLAS gemm)", "gemm"),
    ("dropout", "Dropout"), ("updater", "BaseMultiLayerUpdater.update"), ("updater", "ComputationGraphUpdater"),
    ("residual adds", "ElementWiseVertex"), ("concatenation", "MergeVertex"),
    ("loss and output layer", "BaseOutputLayer"),
    ("array shape information", "createShapeInformation"), ("array shape information", "createShapeInfo"),
    ("workspaces", "Workspace"), ("native memory freeing", "Deallocator"),
    ("Java GC", "G1"), ("Java GC", "GCTask"), ("Java JIT compiler", "CompileBroker"), ("Java JIT compiler", "C2Compiler"),
    ("thread hand-offs", "pthread_cond"), ("thread hand-offs", "LockSupport"), ("thread hand-offs", "libgomp"),
    ("malloc/free", "malloc"), ("malloc/free", "free"),
    ("other libnd4j ops", "execCustomOp"), ("other libnd4j ops", "NativeOpExecutioner"),
    ("oneDNN JIT-generated kernels (convolutions, reorders: the unwinder cannot tell which)", "[unknown]"),
]


def main(path):
    cats, total = collections.Counter(), 0
    for line in open(path):
        stack, n = line.rstrip().rsplit(" ", 1)
        n = int(n)
        total += n
        frames = stack.split(";")
        label = next((c for c, m in RULES if any(m in f for f in frames)), "other")
        cats[label] += n
    print(f"| category | share of samples ({total} samples) |")
    print("|---|---|")
    for c, v in cats.most_common():
        print(f"| {c} | {100 * v / total:.1f}% |")


if __name__ == "__main__":
    main(sys.argv[1])
