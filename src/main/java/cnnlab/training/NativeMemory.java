package cnnlab.training;

import java.util.Locale;

/**
 * Keeps glibc's malloc from holding on to freed native memory (docs/PERFORMANCE.md, "Memory").
 *
 * <p>ND4J's arrays live in native memory. In the first training iterations DL4J's workspaces are still learning
 * their sizes, so activations and gradients are allocated outside them and freed at the end of the iteration;
 * then the workspaces allocate their learned size. glibc raises its mmap threshold dynamically (up to 32 MiB)
 * each time a large mmapped block is freed, so afterwards most of these blocks come from the malloc heap, and
 * when they are freed the heap stays resident (fragmented, rarely trimmable): the process keeps both the freed
 * spill and the workspaces. Measured with {@code MemProbe}: googlenet-cifar10 at batch 16 peaks at 1,854 MiB
 * with glibc's defaults, 1,152 MiB with a fixed mmap threshold, 1,189 MiB with jemalloc (workspaces 677 MiB).
 *
 * <p>So while a network's workspaces learn their sizes (its first {@link #LEARNING_STEPS} training steps), the
 * mmap threshold is fixed at 1 MiB through {@code mallopt(M_MMAP_THRESHOLD)}: blocks of 1 MiB and more are mapped
 * on their own and go back to the system when freed. After that ({@link #steady()}) it is fixed at 32 MiB, the most
 * glibc's dynamic threshold reaches, free heap memory is returned once ({@code malloc_trim}), and then the heap
 * is kept (trim threshold 2 GiB) and no new mappings are made ({@code M_MMAP_MAX} 0): the
 * per-step temporaries outside the workspaces come from the heap without fresh page faults (a 1 MiB threshold
 * kept for good costs cifar10-cnn ~68,000 page faults and ~30% more CPU per step), including those above glibc's
 * 32 MiB ceiling for the threshold, which would otherwise be mapped afresh and zeroed by the kernel on every
 * step (cifar10-fast at batch 1024: 250 MB activations; 13.7 s of system time in 40 s of training at batch 512 against 8.3 s with this,
 * docs/PERFORMANCE.md). Equivalent start-up settings for
 * comparison: {@code GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1048576}. Skipped when the user set an mmap
 * threshold in {@code GLIBC_TUNABLES} or {@code CNNLAB_MMAP_THRESHOLD=0}; glibc on Linux only (JNA, which DL4J
 * already brings in, makes the calls).
 */
public final class NativeMemory {
    /** glibc's {@code M_MMAP_THRESHOLD} parameter number for {@code mallopt}. */
    private static final int M_MMAP_THRESHOLD = -3;
    /** glibc's {@code M_MMAP_MAX}: 0 = no more separate mappings. */
    private static final int M_MMAP_MAX = -4;
    /** glibc's {@code M_TRIM_THRESHOLD}. */
    private static final int M_TRIM_THRESHOLD = -1;
    static final long DEFAULT_THRESHOLD = 1L << 20;
    /** glibc's largest dynamic mmap threshold on 64-bit systems (DEFAULT_MMAP_THRESHOLD_MAX). */
    static final int STEADY_THRESHOLD = 32 << 20;
    /** Training steps after which DL4J's workspaces have their sizes (they learn in the first iteration). */
    public static final int LEARNING_STEPS = 2;
    private static volatile String state;

    private NativeMemory() {
    }

    /**
     * Fixes the mmap threshold at 1 MiB (or {@code CNNLAB_MMAP_THRESHOLD}) for a network that is about to learn its
     * workspace sizes; returns a one-line description of what was done.
     */
    public static synchronized String configure() {
        state = apply(System.getenv("CNNLAB_MMAP_THRESHOLD"), System.getenv("GLIBC_TUNABLES"));
        return state;
    }

    /** After the learning steps: glibc's steady-state thresholds, fixed, and free heap memory returned. */
    public static synchronized void steady() {
        if (state == null || !state.startsWith("malloc: mmap threshold ")) {
            return; // nothing of ours in force
        }
        try {
            com.sun.jna.NativeLibrary c = com.sun.jna.NativeLibrary.getInstance("c");
            c.getFunction("mallopt").invokeInt(new Object[] {M_MMAP_THRESHOLD, STEADY_THRESHOLD});
            c.getFunction("malloc_trim").invokeInt(new Object[] {0});
            c.getFunction("mallopt").invokeInt(new Object[] {M_MMAP_MAX, 0});
            c.getFunction("mallopt").invokeInt(new Object[] {M_TRIM_THRESHOLD, Integer.MAX_VALUE});
            state = "malloc: steady (heap only, no new mappings)";
        } catch (RuntimeException | LinkageError e) {
            state = "malloc: steady-state call failed: " + e.getMessage();
        }
    }

    /** What is in force now (for reports); null before {@link #configure()}. */
    public static String state() {
        return state;
    }

    static String apply(String setting, String tunables) {
        if (tunables != null && tunables.contains("glibc.malloc.mmap_threshold")) {
            return "malloc: mmap threshold from GLIBC_TUNABLES";
        }
        long threshold = DEFAULT_THRESHOLD;
        if (setting != null && !setting.isBlank()) {
            try {
                threshold = Long.parseLong(setting.trim());
            } catch (NumberFormatException e) {
                throw new cnnlab.UserError("CNNLAB_MMAP_THRESHOLD must be a number of bytes, got '" + setting + "'");
            }
            if (threshold <= 0) {
                return "malloc: glibc defaults (CNNLAB_MMAP_THRESHOLD=" + setting.trim() + ")";
            }
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "malloc: system defaults (not Linux)";
        }
        try {
            int ok = com.sun.jna.NativeLibrary.getInstance("c").getFunction("mallopt")
                    .invokeInt(new Object[] {M_MMAP_THRESHOLD, (int) Math.min(threshold, Integer.MAX_VALUE)});
            return ok == 1 ? "malloc: mmap threshold " + threshold + " bytes" : "malloc: mallopt refused " + threshold;
        } catch (RuntimeException | LinkageError e) {
            return "malloc: glibc defaults (mallopt not available: " + e.getMessage() + ")";
        }
    }
}
