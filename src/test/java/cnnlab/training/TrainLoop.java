package cnnlab.training;

import cnnlab.models.LayerChoice;
import cnnlab.models.NetCatalog;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Nothing but training steps of one net on a random batch (test scope, not a test), for a sampling profiler to
 * watch without inference or set-up in the picture ({@code bench/async_profile.sh}; docs/PERFORMANCE.md).
 * Builds the net as {@code cnnlab train} does ({@link Net#build}), warms up for {@code WARMUP_S} seconds, then
 * trains for {@code SECONDS} and prints the steps' mean time; with {@code -Dtrainloop.profiler=LIB
 * -Dtrainloop.out=FILE} (and async-profiler's jar on the class path) it samples just those {@code SECONDS}.
 * {@code -Dtrainloop.batch=N} sets the batch (default 128); {@code -Dtrainloop.stopBackpropBelow=N} skips the
 * first N layers' backward pass ({@link Net#stopBackpropBelow}; cifar10-fast after its whitening bias froze: 1).
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) cnnlab.training.TrainLoop NET [SECONDS [WARMUP_S]]</pre>
 */
public final class TrainLoop {
    /** System properties: async-profiler's library, its output (collapsed stacks), its sampling options. */
    static final String PROFILER_LIB = "trainloop.profiler", PROFILE_FILE = "trainloop.out", PROFILE_EVENT = "trainloop.event";

    private TrainLoop() {
    }

    /** Runs an async-profiler command through its Java API when {@value #PROFILER_LIB} names its library. */
    private static void profiler(String command) {
        String lib = System.getProperty(PROFILER_LIB);
        if (lib == null) {
            return;
        }
        try {
            Class<?> c = Class.forName("one.profiler.AsyncProfiler");
            Object p = c.getMethod("getInstance", String.class).invoke(null, lib);
            c.getMethod("execute", String.class).invoke(p, command);
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("async-profiler: " + ex, ex);
        }
    }

    public static void main(String[] args) {
        cnnlab.cli.Main.cheapNativeAllocations();
        NetCatalog.Entry e = NetCatalog.get(args[0], LayerChoice.DL4J);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        double warmup = args.length > 2 ? Double.parseDouble(args[2]) : 8;
        Net net = Net.build(e.conf());
        int stop = Integer.getInteger("trainloop.stopBackpropBelow", 0);
        if (stop > 0) {
            Net.stopBackpropBelow((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) net.model(), stop);
        }
        Nd4j.getRandom().setSeed(1);
        int batch = Integer.getInteger("trainloop.batch", 128);
        DataSet ds = NetBench.randomBatch(e, batch);
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < warmup * 1e9) {
            net.fit(ds);
        }
        profiler("start," + System.getProperty(PROFILE_EVENT, "event=itimer,interval=1ms,cstack=vm"));
        java.util.List<Double> ms = new java.util.ArrayList<>();
        t0 = System.nanoTime();
        while (System.nanoTime() - t0 < seconds * 1e9) {
            long t = System.nanoTime();
            net.fit(ds);
            ms.add((System.nanoTime() - t) / 1e6);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        profiler("stop,collapsed,file=" + System.getProperty(PROFILE_FILE));
        int steps = ms.size();
        System.err.println("step ms: " + ms.stream().map(v -> String.format("%.0f", v)).toList());
        java.util.Collections.sort(ms);
        System.out.printf("%s: %d steps, %.1f ms/step (median %.1f), %.0f images/s%n", args[0], steps,
                1000 * s / steps, ms.get(steps / 2), batch * steps / s);
    }
}
