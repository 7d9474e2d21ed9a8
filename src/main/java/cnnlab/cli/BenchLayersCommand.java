package cnnlab.cli;

import cnnlab.UserError;
import cnnlab.layers.LayerBench;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cnnlab bench layers}: the book's conv/pool timing experiments, direct vs im2col vs DL4J. */
@Command(name = "layers", mixinStandardHelpOptions = true,
        description = "The book's timing experiments (17.2, 17.4, 17.5): conv forward (10 and 1000 calls), conv "
                + "forward+backward (1000), max pooling forward+backward (5000) on 64x3x28x28, 4 filters 3x3 "
                + "pad 1, pool 2x2 stride 2; median ms per call for direct, im2col and DL4J's own layers.")
final class BenchLayersCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print JSON rows instead of the table")
    boolean json;

    @Option(names = "--calls-scale", defaultValue = "1", description = "multiply the book's call counts (default ${DEFAULT-VALUE})")
    double callsScale;

    @Option(names = "--dtype", defaultValue = "double", description = "double (the book's NumPy) or float")
    String dtype;

    @Override
    public Integer call() {
        if (!(callsScale > 0) || Double.isInfinite(callsScale)) {
            throw new UserError("--calls-scale must be a positive number, got " + callsScale);
        }
        DataType type = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "double", "float64" -> DataType.DOUBLE;
            case "float", "float32" -> DataType.FLOAT;
            default -> throw new UserError("--dtype must be double or float, got " + dtype);
        };
        List<LayerBench.Row> rows = LayerBench.run(callsScale, type, System.err);
        System.out.println(json ? LayerBench.json(rows) : LayerBench.table(rows));
        return 0;
    }
}
