package cnnlab.training;

import cnnlab.UserError;
import cnnlab.data.DataSource;
import cnnlab.data.DataSources;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training (forward + backward + update) and inference throughput in images/s of the networks
 * ({@code cnnlab bench nets}): the chapter nets (every experiment's network at its data set's input and batch,
 * random data) and the classic nets of 18.0 at 3×224×224 (batch 8); after warm-up, the median and spread of
 * several timed windows; the peak resident and off-heap memory seen while each net ran; and, for experiments,
 * one training epoch (or its first batches) through the real data pipeline, end to end. Each network is built as
 * the trainer builds it ({@link Net#build}).
 */
public final class NetBench {

    /**
     * How each row is timed.
     *
     * @param warmup untimed iterations first
     * @param warmupSeconds and untimed iterations until this many seconds have passed (the JIT compilers' warm-up)
     * @param windows timed windows; the row reports their median, min and max
     * @param windowSeconds minimum length of a window (at least one iteration)
     * @param epochBatches batches of the real-data epoch to time, 0 = the whole epoch, -1 = no epoch
     * @param dataDir the real data sets' folder
     */
    public record Settings(int warmup, double warmupSeconds, int windows, double windowSeconds, int epochBatches,
            Path dataDir) {
        public Settings {
            if (warmup < 0 || !(warmupSeconds >= 0) || windows < 1 || !(windowSeconds > 0)) {
                throw new UserError("--warmup and --warmup-seconds must be >= 0, --windows >= 1 and --window-seconds > 0");
            }
        }
    }

    /** What one row measures: a network at a batch size, with which convolution/pooling layers. */
    public record Target(NetCatalog.Entry net, int batch, String layers) {
    }

    private final Settings settings;
    private final PrintStream log;

    private NetBench(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * The rows for these names (all experiments, then all classic nets, when empty): each experiment once per
     * layer choice that applies to it, each classic net once with DL4J's layers.
     *
     * @param batch the batch of every row; null: the experiment's, 8 for the classic nets
     * @param log where a row skipped for an unavailable layer choice is reported
     */
    public static List<Target> targets(List<String> names, Integer batch, List<LayerChoice> choices, PrintStream log) {
        List<Target> out = new ArrayList<>();
        for (String name : names == null || names.isEmpty() ? NetCatalog.names() : names) {
            if (!NetCatalog.contains(name)) {
                throw new UserError("unknown net '" + name + "'; known: " + String.join(", ", NetCatalog.names()));
            }
            if (!Experiments.exists(name)) {
                out.add(new Target(NetCatalog.get(name, LayerChoice.DL4J), batch != null ? batch : 8, "dl4j"));
                continue;
            }
            Experiment e = Experiments.get(name);
            for (LayerChoice c : choices) {
                if (c == LayerChoice.CUSTOM && !e.isCnn()) {
                    continue;
                }
                NetCatalog.Entry net;
                try {
                    net = NetCatalog.get(name, c);
                } catch (UnsupportedOperationException | UserError ex) {
                    if (c != LayerChoice.DL4J) {
                        log.printf("bench nets: %s with --layers %s: not available (%s); row skipped%n",
                                name, c.name().toLowerCase(Locale.ROOT), ex.getMessage());
                        continue;
                    }
                    throw ex;
                }
                out.add(new Target(net, batch != null ? batch : e.batch(), c.name().toLowerCase(Locale.ROOT)));
            }
        }
        return out;
    }

    /** Measures every target in turn, reporting progress to {@code log}; one row of figures each. */
    public static List<Map<String, Object>> run(List<Target> targets, Settings settings, PrintStream log) {
        NetBench bench = new NetBench(settings, log);
        MemorySampler mem = new MemorySampler();
        mem.start();
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            for (Target t : targets) {
                rows.add(bench.measure(t, mem));
                System.gc();
            }
        } finally {
            mem.interrupt();
        }
        return rows;
    }

    /** A batch of uniform random images in the net's input shape, labels cycling through its classes. */
    static DataSet randomBatch(NetCatalog.Entry net, int batch) {
        long[] shape = new long[net.input().length + 1];
        shape[0] = batch;
        for (int i = 0; i < net.input().length; i++) {
            shape[i + 1] = net.input()[i];
        }
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, net.classes());
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % net.classes(), 1f);
        }
        return new DataSet(Nd4j.rand(DataType.FLOAT, shape), y);
    }

    private Map<String, Object> measure(Target t, MemorySampler mem) {
        mem.reset();
        Nd4j.getRandom().setSeed(Experiments.SEED);
        DataSet batch = randomBatch(t.net(), t.batch());
        INDArray x = batch.getFeatures();
        INDArray y = batch.getLabels();
        // the same network the trainer builds (CacheMode.HOST, oneDNN helpers on the CPU backend)
        Net net = Net.build(t.net().conf());
        String label = t.net().name() + " batch " + t.batch() + " (" + t.layers() + ")";
        log.printf("bench nets: %s: %,d parameters; training...%n", label, net.numParams());
        double[] train = rates(label + " train", () -> net.fit(new DataSet(x, y)), t.batch());
        log.printf("bench nets: %s: inference...%n", label);
        double[] infer = rates(label + " infer", () -> net.output(x), t.batch());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("net", t.net().name());
        row.put("batch", t.batch());
        row.put("layers", t.layers());
        row.put("input", t.net().input());
        row.put("params", net.numParams());
        row.put("train_img_s", round(median(train)));
        row.put("train_img_s_min", round(min(train)));
        row.put("train_img_s_max", round(max(train)));
        row.put("infer_img_s", round(median(infer)));
        row.put("infer_img_s_min", round(min(infer)));
        row.put("infer_img_s_max", round(max(infer)));
        if (t.net().experiment() != null && settings.epochBatches() >= 0) {
            epoch(t, net, row);
        } else {
            row.put("epoch_img_s", null);
            row.put("epoch_note", t.net().experiment() == null ? "no data set (classic net at its default input)"
                    : "not requested");
        }
        mem.sample();
        row.put("peak_rss_mb", mb(mem.peakRss));
        row.put("peak_offheap_mb", mb(mem.peakNative));
        row.put("javacpp_bytes", mem.peakJavacpp);
        row.put("process_vmhwm_mb", mb(vmHwm()));
        return row;
    }

    /** One training epoch (or its first {@code epochBatches} batches) through the data source, end to end. */
    private void epoch(Target t, Net net, Map<String, Object> row) {
        Experiment e = t.net().experiment();
        DataSource source;
        try {
            source = DataSources.open(e.data(), settings.dataDir(), Experiments.SEED);
        } catch (UserError ex) {
            row.put("epoch_img_s", null);
            row.put("epoch_note", "skipped: " + ex.getMessage());
            log.printf("bench nets: %s: real-data epoch skipped: %s%n", t.net().name(), ex.getMessage());
            return;
        }
        log.printf("bench nets: %s: epoch through the '%s' pipeline...%n", t.net().name(), e.data());
        DataSetIterator it = source.train(t.batch(), Experiments.SEED, e.augment());
        it.setPreProcessor(source.normalizer());
        long images = 0;
        int batches = 0;
        long t0 = System.nanoTime();
        while (it.hasNext() && (settings.epochBatches() == 0 || batches < settings.epochBatches())) {
            DataSet d = it.next();
            net.fit(new DataSet(e.view().apply(d.getFeatures()), d.getLabels()));
            images += d.numExamples();
            batches++;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        row.put("epoch_img_s", round(images / s));
        row.put("epoch_note", String.format(Locale.ROOT, "%d images in %d batches (%s), %.1f s, train set %d, augment %b",
                images, batches, settings.epochBatches() == 0 || !it.hasNext() ? "whole epoch" : "first batches", s,
                source.trainSize(), e.augment()));
    }

    private double[] rates(String label, Runnable step, int batch) {
        long warm = System.nanoTime();
        for (int i = 0; i < settings.warmup() || System.nanoTime() - warm < settings.warmupSeconds() * 1e9; i++) {
            step.run();
        }
        double[] r = new double[settings.windows()];
        long windowNs = (long) (settings.windowSeconds() * 1e9);
        for (int w = 0; w < settings.windows(); w++) {
            int n = 0;
            long t0 = System.nanoTime(), dt;
            do {
                step.run();
                n++;
                dt = System.nanoTime() - t0;
            } while (dt < windowNs);
            r[w] = (double) n * batch / (dt / 1e9);
        }
        log.printf("bench nets: %s: %s img/s%n", label, Arrays.toString(Arrays.stream(r).map(v -> round(v))
                .toArray()));
        return r;
    }

    /**
     * Samples every 20 ms the process's resident bytes ({@link Pointer#physicalBytes()}), the bytes JavaCPP
     * tracks ({@link Pointer#totalBytes()}) and an estimate of native memory: resident minus the JVM's
     * committed heap and non-heap. (ND4J 1.0.0-M2.1 allocates its arrays inside libnd4j, which JavaCPP does
     * not track: {@code totalBytes()} stays near 0 however large the network, hence the estimate.)
     */
    private static final class MemorySampler extends Thread {
        private final java.lang.management.MemoryMXBean jvm = java.lang.management.ManagementFactory.getMemoryMXBean();
        volatile long peakRss;
        volatile long peakJavacpp;
        volatile long peakNative;

        MemorySampler() {
            super("bench-memory");
            setDaemon(true);
        }

        synchronized void reset() {
            peakRss = 0;
            peakJavacpp = 0;
            peakNative = 0;
            sample();
        }

        private synchronized void sample() {
            long rss = Pointer.physicalBytes();
            peakRss = Math.max(peakRss, rss);
            peakJavacpp = Math.max(peakJavacpp, Pointer.totalBytes());
            long jvmCommitted = jvm.getHeapMemoryUsage().getCommitted() + jvm.getNonHeapMemoryUsage().getCommitted();
            peakNative = Math.max(peakNative, rss - jvmCommitted);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                sample();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Peak resident set of the process so far (VmHWM of /proc/self/status), bytes; -1 where unavailable. */
    private static long vmHwm() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Cores, OpenMP threads, ND4J executioner and BLAS threads and backend: what the figures were measured with. */
    public static String threading() {
        return String.format(Locale.ROOT, "%d cores, OMP_NUM_THREADS=%s, ND4J %s, BLAS threads %d, %s",
                Runtime.getRuntime().availableProcessors(), System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                Nd4j.getExecutioner().getClass().getSimpleName(), Nd4j.factory().blas().getMaxThreads(),
                Nd4j.getBackend().getClass().getSimpleName());
    }

    /** The rows as the table {@code cnnlab bench nets} prints, with each row's epoch note below it. */
    public static String table(List<Map<String, Object>> rows) {
        StringBuilder b = new StringBuilder();
        String fmt = "%-22s %-12s %5s %-6s %12s %22s %22s %10s %9s %9s%n";
        b.append(String.format(fmt, "net", "input", "batch", "layers", "params", "train img/s [min-max]",
                "infer img/s [min-max]", "epoch img/s", "peak RSS", "off-heap"));
        List<String> notes = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            int[] in = (int[]) r.get("input");
            String input = Arrays.stream(in).mapToObj(Integer::toString).reduce((a, c) -> a + "x" + c).orElse("");
            b.append(String.format(fmt, r.get("net"), input, r.get("batch"), r.get("layers"),
                    String.format("%,d", (Long) r.get("params")),
                    String.format("%s [%s-%s]", r.get("train_img_s"), r.get("train_img_s_min"), r.get("train_img_s_max")),
                    String.format("%s [%s-%s]", r.get("infer_img_s"), r.get("infer_img_s_min"), r.get("infer_img_s_max")),
                    r.get("epoch_img_s") == null ? "-" : r.get("epoch_img_s"),
                    r.get("peak_rss_mb") + " MB", r.get("peak_offheap_mb") + " MB"));
            notes.add(r.get("net") + " (" + r.get("layers") + ") epoch: " + r.get("epoch_note"));
        }
        b.append("peak RSS / off-heap: highest values sampled every 20 ms while the row ran; off-heap = RSS minus the"
                + " JVM's committed heap and non-heap (ND4J M2.1's arrays are not tracked by JavaCPP); memory freed by"
                + " earlier rows may still be held by the allocator\n");
        notes.forEach(n -> b.append(n).append('\n'));
        return b.toString();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    /** Three significant digits (whole numbers from 100 up). */
    private static double round(double v) {
        if (!(v > 0) || v >= 100) {
            return Math.round(v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).doubleValue();
    }

    private static long mb(long bytes) {
        return bytes < 0 ? -1 : Math.round(bytes / (1024.0 * 1024.0));
    }
}
