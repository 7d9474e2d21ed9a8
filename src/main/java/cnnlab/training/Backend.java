package cnnlab.training;

import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** The ND4J backend in use (CPU or CUDA, chosen by the Maven profile) and its thread settings. */
public final class Backend {
    private static boolean configured;

    private Backend() {
    }

    /**
     * Applies cnnlab's thread settings once: on the CPU backend one OpenBLAS thread (override with
     * the environment variable {@code CNNLAB_BLAS_THREADS}), which is faster for the book's small
     * layers than letting OpenBLAS and OpenMP threads fight over the cores
     * ({@code docs/PERFORMANCE.md}).
     */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        if (isCpu()) {
            String env = System.getenv("CNNLAB_BLAS_THREADS");
            int n = env == null || env.isBlank() ? 1 : Integer.parseInt(env.trim());
            Nd4j.factory().blas().setMaxThreads(n);
        }
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
        Object omp = p.getOrDefault("omp.threads", Nd4j.getEnvironment().maxThreads());
        String s = kind + ", BLAS " + blas + ", " + omp + " OpenMP threads";
        if (isCpu()) {
            s += ", " + Nd4j.factory().blas().getMaxThreads() + " BLAS thread(s)";
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
