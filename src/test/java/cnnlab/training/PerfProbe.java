package cnnlab.training;

import cnnlab.data.DataSources;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throwaway speed probe for docs/PERFORMANCE.md (test scope, not a test, not part of the CLI; the
 * {@code cnnlab bench nets} command of issue 6 part 1 replaces it). Trains each named experiment's
 * network on random in-memory data and prints median ms/iteration and images/s.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) cnnlab.training.PerfProbe
 *     [--batch 128] [--warmup 10] [--iters 10] [--windows 5] [--profile] NET...</pre>
 *
 * {@code --profile} also times every layer's forward ({@code activate}) and backward
 * ({@code backpropGradient}) separately (no workspaces) and the updater.
 */
public final class PerfProbe {
    public static void main(String[] args) {
        int batch = 128;
        int warmup = 10;
        int iters = 10;
        int windows = 5;
        boolean profile = false;
        List<String> nets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--windows" -> windows = Integer.parseInt(args[++i]);
                case "--profile" -> profile = true;
                case "--pipeline" -> {
                    pipeline(args[++i], batch);
                    return;
                }
                default -> nets.add(args[i]);
            }
        }
        System.out.println("backend: " + Backend.describe() + "; oneDNN helpers " + (OneDnnHelpers.active() ? "on" : "off")
                + "; OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS"));
        for (String name : nets) {
            Experiment e = Experiments.get(name);
            DataSources.Info info = DataSources.info(e.data());
            NetSpec spec = new NetSpec(info.channels(), info.height(), info.width(), info.classes(), e.learningRate(),
                    42, LayerChoice.DL4J);
            Net net = Net.build(e.network().apply(spec));
            int helpers = 0;
            for (Layer l : ((MultiLayerNetwork) net.model()).getLayers()) {
                helpers += l.getHelper() != null ? 1 : 0;
            }
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, info.channels(), info.height(), info.width()).muli(255);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, info.classes());
            for (int k = 0; k < batch; k++) {
                y.putScalar(k, k % info.classes(), 1f);
            }
            x.divi(255);
            DataSet ds = new DataSet(x, y);
            for (int k = 0; k < warmup; k++) {
                net.fit(ds);
            }
            double[] train = new double[windows];
            double[] cpu = new double[windows];
            for (int w = 0; w < windows; w++) {
                long t0 = System.nanoTime();
                long c0 = cpuNanos();
                for (int k = 0; k < iters; k++) {
                    net.fit(ds);
                }
                train[w] = (System.nanoTime() - t0) / 1e6 / iters;
                cpu[w] = (cpuNanos() - c0) / 1e6 / iters;
            }
            for (int k = 0; k < 3; k++) {
                net.output(x);
            }
            double[] infer = new double[windows];
            for (int w = 0; w < windows; w++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < iters; k++) {
                    net.output(x);
                }
                infer[w] = (System.nanoTime() - t0) / 1e6 / iters;
            }
            double mt = median(train);
            double mi = median(infer);
            System.out.printf(Locale.ROOT, "%-12s batch %d helpers %d: train %.1f ms/iter (%.0f img/s, windows %s, "
                            + "process CPU %.1f ms/iter), infer %.1f ms (%.0f img/s), score %.4f, peak RSS %d MiB%n",
                    name, batch, helpers, mt, batch * 1000 / mt, fmt(train), median(cpu), mi, batch * 1000 / mi, ((MultiLayerNetwork) net.model()).score(),
                    rssMiB());
            if (profile) {
                profile((MultiLayerNetwork) net.model(), ds, windows, iters);
            }
        }
    }

    /**
     * One pass over a real training set through the trainer's data path (ImageSetIterator uint8 to float,
     * then {@link Pipeline}: normalizer and input view), no training: ms per batch.
     */
    private static void pipeline(String experiment, int batch) {
        Experiment e = Experiments.get(experiment);
        long t0 = System.nanoTime();
        cnnlab.data.DataSource src = DataSources.open(e.data(), DataSources.dataDir(null), 42);
        double load = (System.nanoTime() - t0) / 1e9;
        org.nd4j.linalg.dataset.api.iterator.DataSetIterator it = src.train(batch, 42, e.augment());
        it.setPreProcessor(new Pipeline(src.normalizer(), e.view()));
        for (int pass = 0; pass < 2; pass++) {
            it.reset();
            int n = 0;
            long imgs = 0;
            t0 = System.nanoTime();
            while (it.hasNext()) {
                imgs += it.next().numExamples();
                n++;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "pipeline %s batch %d pass %d: %d batches, %.2f s, %.2f ms/batch, "
                    + "%.0f img/s (data set loaded in %.1f s)%n", experiment, batch, pass, n, s, s * 1000 / n,
                    imgs / s, load);
        }
    }

    /** Per-layer forward/backward and updater times (ms/iter, medians of windows), outside workspaces. */
    private static void profile(MultiLayerNetwork m, DataSet ds, int windows, int iters) {
        Layer[] layers = m.getLayers();
        int n = layers.length;
        double[][] fwd = new double[n][windows];
        double[][] bwd = new double[n][windows];
        double[] upd = new double[windows];
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        int mb = (int) ds.getFeatures().size(0);
        for (int w = -1; w < windows; w++) {
            double[] f = new double[n];
            double[] b = new double[n];
            double u = 0;
            for (int it = 0; it < iters; it++) {
                INDArray a = ds.getFeatures();
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    InputPreProcessor pp = m.getLayerWiseConfigurations().getInputPreProcess(i);
                    if (pp != null) {
                        a = pp.preProcess(a, mb, mgr);
                    }
                    layers[i].setInput(a, mgr);
                    if (i == n - 1) {
                        ((org.deeplearning4j.nn.api.layers.IOutputLayer) layers[i]).setLabels(ds.getLabels());
                    } else {
                        a = layers[i].activate(true, mgr);
                    }
                    f[i] += (System.nanoTime() - t0) / 1e6;
                }
                INDArray eps = null;
                Gradient g = new org.deeplearning4j.nn.gradient.DefaultGradient();
                for (int i = n - 1; i >= 0; i--) {
                    long t0 = System.nanoTime();
                    Pair<Gradient, INDArray> p = layers[i].backpropGradient(eps, mgr);
                    eps = p.getSecond();
                    InputPreProcessor pp = m.getLayerWiseConfigurations().getInputPreProcess(i);
                    if (pp != null && i > 0) {
                        eps = pp.backprop(eps, mb, mgr);
                    }
                    b[i] += (System.nanoTime() - t0) / 1e6;
                    for (var en : p.getFirst().gradientForVariable().entrySet()) {
                        g.setGradientFor(i + "_" + en.getKey(), en.getValue());
                    }
                }
                long t0 = System.nanoTime();
                m.getUpdater().update(m, g, m.getIterationCount(), m.getEpochCount(), mb, mgr);
                u += (System.nanoTime() - t0) / 1e6;
            }
            if (w >= 0) {
                for (int i = 0; i < n; i++) {
                    fwd[i][w] = f[i] / iters;
                    bwd[i][w] = b[i] / iters;
                }
                upd[w] = u / iters;
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            double fi = median(fwd[i]);
            double bi = median(bwd[i]);
            total += fi + bi;
            System.out.printf(Locale.ROOT, "    %-6s %-22s fwd %7.2f ms  bwd %7.2f ms%n", layers[i].conf().getLayer()
                    .getLayerName(), layers[i].getClass().getSimpleName(), fi, bi);
        }
        double u = median(upd);
        System.out.printf(Locale.ROOT, "    layers fwd+bwd %.2f ms, updater (gradient view, no params change) %.2f ms%n",
                total, u);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (double d : v) {
            sb.append(sb.length() > 1 ? " " : "").append(String.format(Locale.ROOT, "%.1f", d));
        }
        return sb.append(']').toString();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long rssMiB() {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
