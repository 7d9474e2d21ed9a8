package cnnlab.cli;

import cnnlab.UserError;
import cnnlab.data.DataSources;
import cnnlab.models.LayerChoice;
import cnnlab.training.NetBench;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cnnlab bench nets}: training and inference throughput of every network, with peak memory
 * ({@link NetBench} measures).
 */
@Command(name = "nets", description = {
        "Training and inference throughput (images/s) of every network, with peak memory.",
        "Rows: each experiment's net at its data set's input and batch (random data), and the classic nets of"
                + " 18.0 at 3x224x224, batch 8.",
        "Each row: warm-up, then several timed windows (median, min-max); peak RSS and JavaCPP off-heap bytes"
                + " sampled while the row ran; for experiments also a real epoch through the data pipeline."})
public final class BenchNetsCommand implements Callable<Integer> {

    @Option(names = "--net", arity = "1..*", paramLabel = "N",
            description = "experiments and/or classic nets to measure (default: all)")
    List<String> nets;

    @Option(names = "--batch", paramLabel = "B",
            description = "batch size for every row (default: the experiment's batch; 8 for classic nets at 224)")
    Integer batch;

    @Option(names = "--warmup", paramLabel = "I", defaultValue = "2", description = "warm-up iterations (default 2)")
    int warmup;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "0",
            description = "and warm up until S seconds have passed (default 0)")
    double warmupSeconds;

    @Option(names = "--windows", paramLabel = "K", defaultValue = "5", description = "timed windows (default 5)")
    int windows;

    @Option(names = "--window-seconds", paramLabel = "S", defaultValue = "2",
            description = "minimum length of a window; at least one iteration (default 2)")
    double windowSeconds;

    @Option(names = "--epoch-batches", paramLabel = "N", defaultValue = "100",
            description = "batches of the real-data epoch to time, 0 = the whole epoch, -1 = no epoch (default 100)")
    int epochBatches;

    @Option(names = "--layers", paramLabel = "L", split = ",", defaultValue = "dl4j,custom",
            description = "layer implementations for the chapter CNNs: dl4j, custom (default both where available)")
    List<String> layers;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "real data sets' folder (default $CNNLAB_DATA or data/)")
    String dataDir;

    @Option(names = "--json", description = "print one JSON array instead of the table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        NetBench.Settings settings = new NetBench.Settings(warmup, warmupSeconds, windows, windowSeconds, epochBatches,
                DataSources.dataDir(dataDir));
        if (batch != null && batch < 1) {
            throw new UserError("--batch must be positive, got " + batch);
        }
        List<LayerChoice> choices = layers.stream().map(LayerChoice::parse).distinct().toList();
        List<NetBench.Target> targets = NetBench.targets(nets, batch, choices, System.err);
        System.err.printf("bench nets: %d rows; %s%n", targets.size(), NetBench.threading());
        List<Map<String, Object>> rows = NetBench.run(targets, settings, System.err);
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        } else {
            System.out.print(NetBench.table(rows));
        }
        System.out.flush();
        return 0;
    }
}
