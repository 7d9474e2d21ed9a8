package cnnlab.training;

import cnnlab.data.DataSources;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Where one training step's time goes, by ND4J operation (test scope, not a test; docs/PERFORMANCE.md,
 * "Where a training step's time goes"). Builds each experiment's network as {@code cnnlab train} does
 * ({@link Net#build}: CacheMode.HOST, oneDNN helpers), trains on random data, and times every operation that
 * reaches ND4J's executioner (a proxy in front of {@link Nd4j#getExecutioner()}; nested calls are counted once).
 * A training listener marks the phases of {@code fit}: forward (up to the output layer), backward (output
 * layer, loss, back-propagation), updater (DL4J's updater and the parameter step). Per phase, operations are
 * summed into groups by name; "outside operations" is the step's wall time minus the summed operation time:
 * Java, allocation and workspace bookkeeping, JNI, and BLAS/other calls that bypass the executioner.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) cnnlab.training.StepProfile
 *     [--batch 128] [--warmup 2] [--steps 3] NET...</pre>
 *
 * Prints a readable breakdown on stderr and one {@code PROFILE {json}} line per net on stdout. With
 * {@code ONEDNN_VERBOSE=1 DNNL_VERBOSE=1} set, oneDNN also prints each primitive's time (see
 * {@code bench/onednn_verbose.py}), which splits the convolutions' backward op into data and weight gradients.
 */
public final class StepProfile {
    private static final String[][] GROUPS = {
            {"convolution", "conv2d", "deconv2d", "im2col", "col2im"},
            {"batch norm", "batchnorm"},
            {"activation (ReLU)", "relu"},
            {"pooling", "pool", "reduce_mean", "mean"},
            {"dense (matmul)", "matmul", "mmul", "gemm", "tensormmul"},
            {"dropout", "dropout", "bernoulli"},
            {"loss + softmax", "softmax", "log", "loss"},
            {"copies (assign, dup)", "assign", "dup", "copy"},
            {"adds", "add"},
    };

    private final Map<String, Map<String, double[]>> byPhase = new LinkedHashMap<>(); // phase -> op -> {ms, calls}
    private String phase = "forward";
    private int threads;
    private int depth;

    public static void main(String[] args) throws Exception {
        int batch = 128;
        int warmup = 2;
        int steps = 3;
        List<String> nets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                default -> nets.add(args[i]);
            }
        }
        System.err.println("backend: " + Backend.describe() + "; oneDNN helpers " + (OneDnnHelpers.active() ? "on" : "off"));
        for (String name : nets) {
            new StepProfile().run(name, batch, warmup, steps);
        }
    }

    private void run(String name, int batch, int warmup, int steps) throws Exception {
        Experiment e = Experiments.get(name);
        DataSources.Info info = DataSources.info(e.data());
        NetSpec spec = new NetSpec(info.channels(), info.height(), info.width(), info.classes(), e.learningRate(), 42,
                LayerChoice.DL4J);
        Net net = Net.build(e.network().apply(spec));
        threads = Nd4j.getEnvironment().maxThreads();
        DataSet ds = randomBatch(info, batch);
        Map<String, double[]> phaseWall = new LinkedHashMap<>();
        long[] mark = new long[1];
        net.addListeners(new BaseTrainingListener() {
            @Override
            public void onForwardPass(Model model, List<INDArray> activations) {
                next("backward");
            }

            @Override
            public void onForwardPass(Model model, Map<String, INDArray> activations) {
                next("backward");
            }

            @Override
            public void onGradientCalculation(Model model) {
                next("updater");
            }

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                next("after updater");
            }

            private void next(String p) {
                long now = System.nanoTime();
                phaseWall.computeIfAbsent(phase, k -> new double[1])[0] += (now - mark[0]) / 1e6;
                mark[0] = now;
                phase = p;
            }
        });
        for (int k = 0; k < warmup; k++) {
            net.fit(ds);
        }
        phaseWall.clear();
        OpExecutioner real = install(this);
        double[] walls = new double[steps];
        try {
            for (int k = 0; k < steps; k++) {
                phase = "forward";
                long t0 = System.nanoTime();
                mark[0] = t0;
                net.fit(ds);
                long t1 = System.nanoTime();
                phaseWall.computeIfAbsent(phase, p -> new double[1])[0] += (t1 - mark[0]) / 1e6;
                walls[k] = (t1 - t0) / 1e6;
            }
        } finally {
            uninstall(real);
        }
        report(name, batch, steps, walls, phaseWall);
    }

    private void report(String name, int batch, int steps, double[] walls, Map<String, double[]> phaseWall)
            throws Exception {
        double wall = 0;
        for (double w : walls) {
            wall += w / steps;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("net", name);
        out.put("framework", "dl4j");
        out.put("batch", batch);
        out.put("threads", threads);
        out.put("steps", steps);
        out.put("step_ms_profiled", r1(wall));
        Map<String, Object> pw = new LinkedHashMap<>();
        phaseWall.forEach((k, v) -> pw.put(k, r1(v[0] / steps)));
        out.put("phase_ms", pw);
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Double> other = new TreeMap<>();
        double ops = 0;
        StringBuilder text = new StringBuilder();
        for (var ph : byPhase.entrySet()) {
            Map<String, Double> groups = new TreeMap<>();
            for (var op : ph.getValue().entrySet()) {
                double ms = op.getValue()[0] / steps;
                String g = ph.getKey().equals("updater") ? "updater" : group(op.getKey());
                groups.merge(g, ms, Double::sum);
                if (g.equals("other ops")) {
                    other.merge(op.getKey(), ms, Double::sum);
                }
                ops += ms;
            }
            text.append(String.format(Locale.ROOT, "#   %s (wall %.1f ms):", ph.getKey(),
                    phaseWall.getOrDefault(ph.getKey(), new double[1])[0] / steps));
            groups.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).forEach(g -> {
                rows.add(Map.of("phase", ph.getKey(), "group", g.getKey(), "ms", r2(g.getValue())));
                text.append(String.format(Locale.ROOT, " %s %.2f,", g.getKey(), g.getValue()));
            });
            text.append('\n');
        }
        out.put("ops_ms", r1(ops));
        out.put("outside_ops_ms", r1(wall - ops));
        out.put("rows", rows);
        Map<String, Object> top = new LinkedHashMap<>();
        other.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(8)
                .forEach(en -> top.put(en.getKey(), r2(en.getValue())));
        out.put("other_ops_ms", top);
        Map<String, Object> topOps = new LinkedHashMap<>();
        byPhase.forEach((p, m) -> {
            Map<String, Object> t = new LinkedHashMap<>();
            m.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(12)
                    .forEach(en -> t.put(en.getKey() + " [" + group(en.getKey()) + "]", r2(en.getValue()[0] / steps)));
            topOps.put(p, t);
        });
        out.put("top_ops_ms", topOps);
        Map<String, Object> calls = new LinkedHashMap<>();
        byPhase.forEach((p, m) -> calls.put(p, m.values().stream().mapToDouble(v -> v[1]).sum() / steps));
        out.put("op_calls_per_step", calls);
        System.err.printf(Locale.ROOT, "# %s (%d thread(s)): profiled step %.1f ms; operations %.1f ms; outside operations %.1f ms%n%s",
                name, threads, wall, ops, wall - ops, text);
        System.out.println("PROFILE " + new ObjectMapper().writeValueAsString(out));
        System.out.flush();
    }

    /** A seeded random batch of images in [0, 1) with labels k mod classes (shared with {@link MemProbe}). */
    static DataSet randomBatch(DataSources.Info info, int batch) {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, info.channels(), info.height(), info.width());
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, info.classes());
        for (int k = 0; k < batch; k++) {
            y.putScalar(k, k % info.classes(), 1f);
        }
        return new DataSet(x, y);
    }

    static String group(String op) {
        String n = op.toLowerCase(Locale.ROOT);
        for (String[] g : GROUPS) {
            for (int i = 1; i < g.length; i++) {
                if (n.contains(g[i])) {
                    return g[0];
                }
            }
        }
        return "other ops";
    }

    private static double r1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double r2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Puts a timing proxy in front of ND4J's executioner; returns the real one. */
    private static OpExecutioner install(StepProfile p) throws ReflectiveOperationException {
        OpExecutioner real = Nd4j.getExecutioner();
        InvocationHandler h = (proxy, m, args) -> {
            boolean timed = p.depth == 0 && m.getName().startsWith("exec") && args != null && args.length > 0
                    && (args[0] instanceof Op || args[0] instanceof CustomOp);
            long t0 = timed ? System.nanoTime() : 0;
            p.depth++;
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException ex) {
                throw ex.getCause();
            } finally {
                p.depth--;
                if (timed) {
                    String name = args[0] instanceof CustomOp c ? c.opName() : ((Op) args[0]).opName();
                    double[] v = p.byPhase.computeIfAbsent(p.phase, k -> new LinkedHashMap<>())
                            .computeIfAbsent(name, k -> new double[2]);
                    v[0] += (System.nanoTime() - t0) / 1e6;
                    v[1]++;
                }
            }
        };
        OpExecutioner proxy = (OpExecutioner) Proxy.newProxyInstance(OpExecutioner.class.getClassLoader(),
                new Class<?>[] {OpExecutioner.class}, h);
        setExecutioner(proxy);
        return real;
    }

    private static void uninstall(OpExecutioner real) throws ReflectiveOperationException {
        setExecutioner(real);
    }

    private static void setExecutioner(OpExecutioner e) throws ReflectiveOperationException {
        Field f = Nd4j.class.getDeclaredField("OP_EXECUTIONER_INSTANCE");
        f.setAccessible(true);
        f.set(null, e);
    }
}
