package cnnlab.training;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Which GPUs the CUDA build can use, checked before ND4J's CUDA backend starts.
 *
 * <p>DL4J 1.0.0-M2.1's CUDA natives ({@code nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64[-cudnn].jar},
 * {@code libnd4jcuda.so}) hold machine code (SASS) for compute capabilities 3.7, 5.0, 5.2, 6.0, 6.1, 7.0,
 * 7.5, 8.0 and 8.6 and no PTX (read from the fatbinary headers). Machine code runs on a GPU of the same
 * major version and an equal or higher minor version, so e.g. 8.9 (Ada) runs the 8.6 code; nothing runs
 * on 3.0-3.5 or on 9.0 (Hopper) and newer. CUDA 11.6 needs NVIDIA driver 510 or newer (a driver whose CUDA
 * driver API version is at least 11.6).
 *
 * <p>The decision ({@link #problem}) is pure and unit-tested; the facts come from JavaCPP's CUDA runtime
 * preset ({@code org.bytedeco.cuda.global.cudart}, shipped with the {@code cuda} profile, reached by
 * reflection so the CPU build compiles without it) or, failing that, from {@code nvidia-smi}.
 */
public final class CudaSupport {
    /** Compute capabilities (major·10 + minor) with machine code in libnd4jcuda 1.0.0-M2.1. */
    static final int[] SASS = {37, 50, 52, 60, 61, 70, 75, 80, 86};
    /** Oldest Linux driver for CUDA 11.6 (CUDA 11.6 release notes, table 3: ≥ 510.39.01). */
    static final int MIN_DRIVER = 510;
    /** The same as a CUDA driver API version ({@code cudaDriverGetVersion}: 1000·major + 10·minor). */
    static final int MIN_DRIVER_API = 11060;
    static final String SUPPORTED = "compute capability 3.7, 5.x, 6.x, 7.x, 8.0 and 8.6-8.9 "
            + "(Kepler K80 to Ada; not 3.0-3.5, not 9.0 Hopper or newer)";
    static final String CPU_WORKS = "the CPU build (without -Pcuda) works on this machine";

    /** One GPU as the CUDA runtime or {@code nvidia-smi} describes it. */
    public record Gpu(String name, int major, int minor) {
        String capability() {
            return major + "." + minor;
        }
    }

    /**
     * What is known about the machine: its GPUs, the driver as {@code nvidia-smi} prints it (e.g.
     * {@code 535.104.05}, or null) and/or the CUDA driver API version (e.g. 12020, or 0 when unknown),
     * and the CUDA runtime's error when it could not list the GPUs (0: none).
     */
    public record Facts(List<Gpu> gpus, String driver, int driverApi, int runtimeError) {
        Facts(List<Gpu> gpus, String driver, int driverApi) {
            this(gpus, driver, driverApi, 0);
        }
    }

    /** {@code cudaErrorInsufficientDriver}: the driver is older than the CUDA runtime. */
    static final int INSUFFICIENT_DRIVER = 35;

    private CudaSupport() {
    }

    /** Whether a compute capability can run one of the {@link #SASS} codes. */
    static boolean runs(int major, int minor) {
        for (int s : SASS) {
            if (s / 10 == major && s % 10 <= minor) {
                return true;
            }
        }
        return false;
    }

    /** The one line an unsupported machine gets, or null when the CUDA build can run on it. */
    public static String problem(Facts f) {
        if (f.runtimeError() == INSUFFICIENT_DRIVER) {
            return "the NVIDIA driver is too old for the CUDA build (CUDA 11.6 needs driver " + MIN_DRIVER
                    + " or newer); update the driver, or use the CPU build: " + CPU_WORKS;
        }
        if (f.gpus().isEmpty()) {
            return "the CUDA build found no usable NVIDIA GPU"
                    + (f.runtimeError() != 0 ? " (CUDA runtime error " + f.runtimeError() + ")" : "") + "; " + CPU_WORKS;
        }
        String gpu0 = f.gpus().get(0).name() + " (compute capability " + f.gpus().get(0).capability() + ")";
        Integer driverMajor = driverMajor(f.driver());
        if (driverMajor != null && driverMajor < MIN_DRIVER) {
            return "NVIDIA driver " + f.driver() + " is too old for the CUDA build on " + gpu0 + ": CUDA 11.6 needs "
                    + "driver " + MIN_DRIVER + " or newer; update the driver, or use the CPU build: " + CPU_WORKS;
        }
        if (driverMajor == null && f.driverApi() > 0 && f.driverApi() < MIN_DRIVER_API) {
            return "the NVIDIA driver supports CUDA " + f.driverApi() / 1000 + "." + f.driverApi() % 1000 / 10
                    + " only, too old for the CUDA build (CUDA 11.6, driver " + MIN_DRIVER + " or newer) on " + gpu0
                    + "; update the driver, or use the CPU build: " + CPU_WORKS;
        }
        for (Gpu g : f.gpus()) {
            if (!runs(g.major(), g.minor())) {
                return g.name() + " (compute capability " + g.capability() + ") cannot run the CUDA build: "
                        + "DL4J 1.0.0-M2.1's CUDA 11.6 code supports " + SUPPORTED
                        + (f.gpus().size() > 1 ? "; choose supported GPUs with CUDA_VISIBLE_DEVICES" : "")
                        + "; " + CPU_WORKS;
            }
        }
        return null;
    }

    /** {@code 535} of {@code 535.104.05}; null when not a driver version. */
    static Integer driverMajor(String driver) {
        if (driver == null) {
            return null;
        }
        String head = driver.trim().split("\\.")[0];
        try {
            return Integer.parseInt(head);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Parses {@code nvidia-smi --query-gpu=name,compute_cap,driver_version --format=csv,noheader}: one
     * {@code name, major.minor, driver} line per GPU. Null when a line does not read that way.
     */
    static Facts parseNvidiaSmi(String out) {
        List<Gpu> gpus = new ArrayList<>();
        String driver = null;
        for (String line : out.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length != 3) {
                return null;
            }
            String[] cap = f[1].trim().split("\\.");
            try {
                if (cap.length != 2) {
                    return null;
                }
                gpus.add(new Gpu(f[0].trim(), Integer.parseInt(cap[0]), Integer.parseInt(cap[1])));
            } catch (NumberFormatException e) {
                return null;
            }
            driver = f[2].trim();
        }
        return gpus.isEmpty() ? null : new Facts(gpus, driver, 0);
    }

    /** Whether ND4J's CUDA backend is on the class path (the {@code cuda} profile); nothing is initialised. */
    public static boolean cudaBuild() {
        try {
            Class.forName("org.nd4j.linalg.jcublas.JCublasBackend", false, CudaSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * On the CUDA build, the line that says why this machine's GPU cannot be used, or null (also on the
     * CPU build, and when neither the CUDA runtime nor {@code nvidia-smi} could tell).
     */
    public static String checkThisMachine() {
        if (!cudaBuild()) {
            return null;
        }
        Facts f = fromCudaRuntime();
        if (f == null) {
            f = fromNvidiaSmi();
        }
        return f == null ? null : problem(f);
    }

    /** The facts from JavaCPP's {@code cudart} preset (device properties, driver API version), or null. */
    static Facts fromCudaRuntime() {
        try {
            Class<?> rt = Class.forName("org.bytedeco.cuda.global.cudart");
            int[] n = new int[1];
            int err = (Integer) rt.getMethod("cudaGetDeviceCount", int[].class).invoke(null, (Object) n);
            int[] api = new int[1];
            rt.getMethod("cudaDriverGetVersion", int[].class).invoke(null, (Object) api);
            if (err != 0) { // e.g. 35 cudaErrorInsufficientDriver, 100 cudaErrorNoDevice
                return new Facts(List.of(), null, api[0], err);
            }
            Method attr = rt.getMethod("cudaDeviceGetAttribute", int[].class, int.class, int.class);
            int majorAttr = rt.getField("cudaDevAttrComputeCapabilityMajor").getInt(null);
            int minorAttr = rt.getField("cudaDevAttrComputeCapabilityMinor").getInt(null);
            Class<?> propClass = Class.forName("org.bytedeco.cuda.cudart.cudaDeviceProp");
            List<Gpu> gpus = new ArrayList<>();
            for (int d = 0; d < n[0]; d++) {
                int[] major = new int[1], minor = new int[1];
                attr.invoke(null, major, majorAttr, d);
                attr.invoke(null, minor, minorAttr, d);
                String name = "GPU " + d;
                try {
                    Object prop = propClass.getConstructor().newInstance();
                    rt.getMethod("cudaGetDeviceProperties", propClass, int.class).invoke(null, prop, d);
                    Object bp = propClass.getMethod("name").invoke(prop);
                    name = (String) bp.getClass().getMethod("getString").invoke(bp);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // keep "GPU d"
                }
                gpus.add(new Gpu(name, major[0], minor[0]));
            }
            return new Facts(gpus, null, api[0]);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The facts from {@code nvidia-smi}, or null when it is missing or says something else. */
    static Facts fromNvidiaSmi() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name,compute_cap,driver_version",
                    "--format=csv,noheader").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return parseNvidiaSmi(out);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Prints this machine's verdict: {@code java -cp ... cnnlab.training.CudaSupport}. */
    public static void main(String[] args) {
        Facts f = fromCudaRuntime();
        String source = "CUDA runtime";
        if (f == null) {
            f = fromNvidiaSmi();
            source = "nvidia-smi";
        }
        if (f == null) {
            System.out.println("no NVIDIA GPU facts (no CUDA runtime on the class path, no nvidia-smi)");
            return;
        }
        System.out.println(source + ": " + f);
        String p = problem(f);
        System.out.println(p == null ? "the CUDA build can use this machine's GPU(s)" : p);
    }
}
