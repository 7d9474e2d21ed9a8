package cnnlab.training;

import cnnlab.data.DataSources;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetConf;
import cnnlab.models.NetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a network's training memory goes (test scope, not a test; docs/PERFORMANCE.md, "Memory"). Builds an
 * experiment's network as {@code cnnlab train} does, trains a few steps on random data and prints the peak RSS
 * (VmHWM) after each step and the size of every ND4J workspace, optionally with another cache mode or training
 * workspace mode, so that each suspect can be switched off on its own ({@code CNNLAB_ONEDNN=0} for the helpers).
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) cnnlab.training.MemProbe NET
 *     [--batch 128] [--steps 2] [--cache HOST|NONE|DEVICE] [--ws ENABLED|NONE] [--trim] [--infer N]</pre>
 *
 * {@code --trim} returns free native memory to the system after every step ({@code malloc_trim}); {@code --infer N}
 * runs N inference passes on the same batch after training (as validation does during training).
 */
public final class MemProbe {
    public static void main(String[] args) {
        String name = null;
        int batch = 128;
        int steps = 2;
        String cache = null;
        String ws = null;
        boolean trim = false;
        int infer = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--cache" -> cache = args[++i];
                case "--ws" -> ws = args[++i];
                case "--trim" -> trim = true;
                case "--infer" -> infer = Integer.parseInt(args[++i]);
                default -> name = args[i];
            }
        }
        Experiment e = Experiments.get(name);
        DataSources.Info info = DataSources.info(e.data());
        NetSpec spec = new NetSpec(info.channels(), info.height(), info.width(), info.classes(), e.learningRate(), 42,
                LayerChoice.DL4J);
        NetConf conf = e.network().apply(spec);
        if (ws != null) {
            WorkspaceMode m = WorkspaceMode.valueOf(ws);
            if (conf instanceof NetConf.Graph g) {
                g.conf().setTrainingWorkspaceMode(m);
            } else {
                conf.chain().setTrainingWorkspaceMode(m);
            }
        }
        System.out.printf(Locale.ROOT, "%s batch %d cache %s ws %s helpers %s: after build VmHWM %d MiB%n", name, batch,
                cache == null ? "default" : cache, ws == null ? "default" : ws, OneDnnHelpers.active() ? "on" : "off",
                hwm());
        Net net = Net.build(conf);
        if (cache != null) {
            net.setCacheMode(CacheMode.valueOf(cache));
        }
        DataSet ds = StepProfile.randomBatch(info, batch);
        INDArray x = ds.getFeatures();
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            long f0 = minorFaults();
            net.fit(ds);
            if (trim) {
                com.sun.jna.NativeLibrary.getInstance("c").getFunction("malloc_trim").invokeInt(new Object[] {0});
            }
            System.out.printf(Locale.ROOT, "  step %d: %.2f s wall, %.2f s process CPU, %d minor page faults, VmHWM %d MiB,"
                    + " VmRSS %d MiB%n", s + 1, (System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9,
                    minorFaults() - f0, hwm(), rss());
        }
        for (int s = 0; s < infer; s++) {
            long t0 = System.nanoTime();
            net.output(x);
            System.out.printf(Locale.ROOT, "  inference %d: %.2f s wall, VmHWM %d MiB, VmRSS %d MiB%n", s + 1,
                    (System.nanoTime() - t0) / 1e9, hwm(), rss());
        }
        long total = 0;
        for (MemoryWorkspace w : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            total += w.getCurrentSize();
            System.out.printf(Locale.ROOT, "  workspace %-28s size %6d MiB (max cycle allocations %6d MiB)%n", w.getId(),
                    w.getCurrentSize() >> 20, w.getMaxCycleAllocations() >> 20);
        }
        System.out.printf(Locale.ROOT, "  workspaces total %d MiB; parameters %d MiB; peak RSS %d MiB%n", total >> 20,
                net.numParams() * 4 >> 20, hwm());
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Minor page faults of the process so far (field 10 of /proc/self/stat): fresh pages touched. */
    private static long minorFaults() {
        try {
            String st = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(st.substring(st.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long hwm() {
        return status("VmHWM:");
    }

    private static long rss() {
        return status("VmRSS:");
    }

    private static long status(String key) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith(key)) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
