package cnnlab.training;

import java.util.Properties;
import org.nd4j.linalg.api.ndarray.INDArray;
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
     * <li>one OpenMP / libnd4j thread for the native ops and oneDNN to start with ({@link #fitThreadsTo} then
     * gives larger networks all cores; override with {@code CNNLAB_THREADS};
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
            if (!userOmp()) {
                setNativeThreads(threads("CNNLAB_THREADS", 1));
            }
        }
    }

    /** Whether the user chose the native thread count: {@code CNNLAB_THREADS}, or {@code OMP_NUM_THREADS} alone. */
    private static boolean userThreads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        return System.getenv("CNNLAB_THREADS") != null || (omp != null && !omp.isBlank());
    }

    private static boolean userOmp() {
        String omp = System.getenv("OMP_NUM_THREADS");
        return omp != null && !omp.isBlank() && System.getenv("CNNLAB_THREADS") == null;
    }

    /** The native thread count cnnlab last chose (ND4J's {@code Environment.maxThreads()} does not keep it in M2.1). */
    private static volatile int nativeThreads = Runtime.getRuntime().availableProcessors();

    /** The thread count cnnlab's own Java kernels split their work into: the one chosen for the native ops. */
    static int threads() {
        return nativeThreads;
    }

    private static void setNativeThreads(int n) {
        nativeThreads = n;
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
    }

    /**
     * Convolution weights (summed over the plain 2-D convolution layers) from which a network trains faster
     * on all cores than on one: cifar10-cnn (65 k) and the classic nets (ResNet-18: 11 M) are above,
     * the chapter-18 MNIST / Fashion-MNIST / shapes CNNs (under 20 k) below. Measured on 2 cores: cifar10-cnn
     * 1.4-1.7x faster with 2 threads on an idle machine, mnist-cnn 2x slower ({@code docs/PERFORMANCE.md}).
     */
    static final long MULTI_THREAD_CONV_WEIGHTS = 30_000;

    /**
     * Chooses the native (OpenMP/oneDNN) thread count for the network about to be trained, unless the user
     * set it ({@code CNNLAB_THREADS} or {@code OMP_NUM_THREADS}): all cores for a network with at least
     * {@link #MULTI_THREAD_CONV_WEIGHTS} convolution weights, one thread otherwise (small layers spend more
     * at OpenMP barriers than a second core saves). Like {@link #configure()} it holds for the calling
     * thread, which must be the one that trains. Returns the thread count in force.
     */
    public static synchronized int fitThreadsTo(org.deeplearning4j.nn.api.Model model) {
        configure();
        if (!isCpu()) {
            return 1;
        }
        if (!userThreads()) {
            setNativeThreads(convWeights(model) >= MULTI_THREAD_CONV_WEIGHTS
                    ? Runtime.getRuntime().availableProcessors() : 1);
        }
        nativeThreads = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        return nativeThreads;
    }

    /** Number of weights in the network's 2-D convolution layers (not biases, not dense layers). */
    static long convWeights(org.deeplearning4j.nn.api.Model model) {
        org.deeplearning4j.nn.api.Layer[] layers = model instanceof org.deeplearning4j.nn.graph.ComputationGraph g
                ? g.getLayers() : ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) model).getLayers();
        long n = 0;
        for (org.deeplearning4j.nn.api.Layer l : layers) {
            if (l instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) {
                INDArray w = l.getParam(org.deeplearning4j.nn.params.ConvolutionParamInitializer.WEIGHT_KEY);
                n += w == null ? 0 : w.length();
            }
        }
        return n;
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
