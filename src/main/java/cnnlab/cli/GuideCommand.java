package cnnlab.cli;

import cnnlab.data.DataSources;
import cnnlab.training.Guide;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cnnlab guide}: every picture of {@code docs/GUIDE.md}, redrawn. See {@link Guide}. */
@Command(name = "guide", mixinStandardHelpOptions = true, description = {
    "Draw every picture docs/GUIDE.md shows: chapter 17's demonstrations, the classic nets' sizes, and short runs of "
        + "the colour and shape CNNs (generated data) and the MNIST CNN (a subset of MNIST).",
    "MNIST and one CIFAR-10 test photo are read from --data-dir (downloaded when missing); without them the command "
        + "stops before drawing anything. Prints how long each step took; --quick: the same files from one short epoch per run."})
final class GuideCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "docs/guide", description = "output folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory for MNIST and CIFAR-10 (default: $CNNLAB_DATA or data/)")
    String dataDir;

    @Option(names = "--quick", description = "one short epoch per training run: the same files, rougher pictures")
    boolean quick;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        List<Path> files = Guide.write(out, DataSources.dataDir(dataDir), quick ? Guide.QUICK : Guide.FULL, System.out);
        files.forEach(f -> System.out.println("wrote " + f));
        System.out.printf(Locale.ROOT, "%d files in %s, %.0f s%n", files.size(), out, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
