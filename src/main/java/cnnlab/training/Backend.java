package cnnlab.training;

import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** The ND4J backend in use (CPU or CUDA, chosen by the Maven profile) and its thread settings. */
public final class Backend {
    private static boolean configured;

    private Backend() {
    }

    /**
     * Applies cnnlab's thread settings once, on the CPU backend:
     * <ul>
     * <li>one OpenBLAS thread (override with {@code CNNLAB_BLAS_THREADS}), faster for the book's small
     * layers than letting OpenBLAS and OpenMP threads fight over the cores;</li>
     * <li>one OpenMP / libnd4j thread for the native ops and oneDNN (override with {@code CNNLAB_THREADS};
     * if {@code OMP_NUM_THREADS} is set and {@code CNNLAB_THREADS} is not, OpenMP keeps the user's value).
     * On this shared 2-core machine two OpenMP threads cost 2.5-6x more CPU per training step than one
     * (workers spin-wait at every barrier while the other core is busy), which makes training several
     * times slower in wall time too ({@code docs/PERFORMANCE.md}).</li>
     * </ul>
     * The OpenMP setting ({@code omp_set_num_threads}) holds for the thread that first calls this (the
     * CLI's main thread, which also trains); other threads keep OpenMP's default.
     * {@code OMP_NUM_THREADS} in the environment applies to every thread.
     */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        if (isCpu()) {
            Nd4j.factory().blas().setMaxThreads(threads("CNNLAB_BLAS_THREADS", 1));
            String omp = System.getenv("OMP_NUM_THREADS");
            boolean userOmp = omp != null && !omp.isBlank() && System.getenv("CNNLAB_THREADS") == null;
            if (!userOmp) {
                int n = threads("CNNLAB_THREADS", 1);
                org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
                Nd4j.getEnvironment().setMaxThreads(n);
                Nd4j.getEnvironment().setMaxMasterThreads(n);
            }
        }
    }

    private static int threads(String env, int dflt) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new cnnlab.UserError(env + " must be a positive number of threads, got '" + v + "'");
    }

    public static boolean isCpu() {
        return Nd4j.getBackend().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT).contains("cpu");
    }

    /** e.g. {@code cpu (nd4j-native), BLAS OPENBLAS, 2 OpenMP threads, 1 BLAS thread}. */
    public static String describe() {
        configure();
        Properties p = Nd4j.getExecutioner().getEnvironmentInformation();
        String kind = isCpu() ? "cpu (nd4j-native)" : "cuda (nd4j-cuda)";
        String blas = String.valueOf(p.getOrDefault("blas.vendor", Nd4j.factory().blas().getBlasVendor()));
        String s = kind + ", BLAS " + blas;
        if (isCpu()) {
            s += ", " + org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()
                    + " OpenMP thread(s), "
                    + Nd4j.factory().blas().getMaxThreads() + " BLAS thread(s), "
                    + (OneDnnHelpers.active() ? "oneDNN" : "no oneDNN");
        } else {
            s += ", device " + p.getOrDefault("cuda.devicesInformation", "?");
        }
        return s + ", " + Nd4j.dataType() + " default";
    }

    /** Short backend name for result.json: {@code cpu} or {@code cuda}. */
    public static String name() {
        return isCpu() ? "cpu" : "cuda";
    }
}
