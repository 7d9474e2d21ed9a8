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
 * <p>{@link #configure()} fixes the mmap threshold at 1 MiB through {@code mallopt(M_MMAP_THRESHOLD)}, which also
 * switches off glibc's dynamic adjustment: blocks of 1 MiB and more are mapped and unmapped on their own and go
 * back to the system when freed; smaller ones stay on the heap as before. Same effect as starting the JVM with
 * {@code GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1048576}. Skipped when the user set an mmap threshold in
 * {@code GLIBC_TUNABLES} or {@code CNNLAB_MMAP_THRESHOLD=0}; {@code CNNLAB_MMAP_THRESHOLD=BYTES} sets another
 * value. glibc on Linux only (JNA, which DL4J already brings in, makes the call).
 */
public final class NativeMemory {
    /** glibc's {@code M_MMAP_THRESHOLD} parameter number for {@code mallopt}. */
    private static final int M_MMAP_THRESHOLD = -3;
    static final long DEFAULT_THRESHOLD = 1L << 20;
    private static volatile String state;

    private NativeMemory() {
    }

    /** Sets the fixed mmap threshold once per process; returns a one-line description of what was done. */
    public static synchronized String configure() {
        if (state == null) {
            state = apply(System.getenv("CNNLAB_MMAP_THRESHOLD"), System.getenv("GLIBC_TUNABLES"));
        }
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
