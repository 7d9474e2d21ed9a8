package cnnlab.cli;

import cnnlab.UserError;
import cnnlab.data.DataSources;
import cnnlab.data.InMemorySource;
import cnnlab.data.RealData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cnnlab data fetch <mnist|fashion-mnist|cifar-10>}: downloads the official archives that are
 * missing from the data directory (all of them with {@code --force}), each verified against the
 * checksums kept in the code before it is put in place, then reads the whole set once to confirm it.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Download and verify a real data set (mnist, fashion-mnist, cifar-10).")
public final class DataFetchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SET", description = "mnist, fashion-mnist or cifar-10")
    String set;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: $CNNLAB_DATA, else data/).")
    String dataDir;

    @Option(names = "--force", description = "Download every archive again, even those present.")
    boolean force;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "Base URL to download from instead of the official locations (repeatable).")
    List<String> mirrors;

    @Override
    public Integer call() {
        RealData data = RealData.forDataName(set);
        Path dir = DataSources.dataDir(dataDir);
        List<String> from = mirrors == null || mirrors.isEmpty() ? data.mirrors() : mirrors;
        List<String> missing = force ? data.archives() : data.missing(dir);
        if (missing.isEmpty()) {
            System.out.println(set + ": all files present in " + data.folder(dir) + "; verifying");
        }
        try {
            data.fetch(dir, force, from, System.err);
        } catch (IOException e) {
            throw new UserError(set + ": download failed, no network? (" + e.getMessage() + "). Download "
                    + String.join(", ", missing) + " from " + from.get(0) + " into " + data.folder(dir).toAbsolutePath());
        }
        long t0 = System.nanoTime();
        InMemorySource s = data.open(dir, 0, from, System.err);
        String val = s.validationSet() == s.testSet() ? "validation on the test set"
                : s.validationSet().size() + " validation";
        System.out.printf(Locale.ROOT, "%s: verified in %.1f s: %d training (%s) + %d test images of %dx%dx%d in %s%n",
                set, (System.nanoTime() - t0) / 1e9, s.trainSize(), val, s.testSet().size(),
                s.channels(), s.height(), s.width(), data.folder(dir));
        return 0;
    }
}
