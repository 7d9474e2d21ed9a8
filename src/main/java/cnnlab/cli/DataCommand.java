package cnnlab.cli;

import cnnlab.ImageGrid;
import cnnlab.data.DataSource;
import cnnlab.data.DataSources;
import cnnlab.data.ImageFolder;
import cnnlab.data.ImageSet;
import cnnlab.data.InMemorySource;
import cnnlab.models.Experiments;
import cnnlab.training.RunDirs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnnlab data ...}: look at and export the data sets. */
@Command(name = "data", description = "Look at, export and fetch the data sets.",
        subcommands = {DataCommand.Preview.class, DataCommand.Export.class, DataFetchCommand.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new cnnlab.UserError("'cnnlab data' needs a subcommand: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code cnnlab data preview <task>}: a PNG grid of training samples with their labels. */
    @Command(name = "preview", description = "Write a PNG grid of samples of a data set with their labels.")
    static final class Preview implements Callable<Integer> {
        @Parameters(index = "0", description = "task or data set: color, shape, shape-color, mnist, fashion-mnist, cifar-10")
        String task;

        @Option(names = "--count", defaultValue = "64", description = "number of samples (default 64)")
        int count;

        @Option(names = "--seed", defaultValue = "" + Experiments.SEED)
        long seed;

        @Option(names = "--data-dir", description = "data directory for real data sets")
        String dataDir;

        @Option(names = "--out", defaultValue = RunDirs.DEFAULT_OUT, description = "writes OUT/data-<task>/<run-id>/preview.png")
        Path out;

        @Override
        public Integer call() {
            if (count <= 0) {
                throw new cnnlab.UserError("--count must be positive, got " + count);
            }
            cnnlab.AtomicFiles.requireWritableFolder(out, "--out");
            DataSource src = DataSources.open(task, DataSources.dataDir(dataDir), seed);
            DataSet ds = src.train(count, seed, false).next();
            ImageGrid grid = new ImageGrid(8, src.width() <= 32 ? 3 : 1).title(task + " training samples");
            for (int i = 0; i < ds.numExamples(); i++) {
                int label = ds.getLabels().getRow(i).argMax().getInt(0);
                grid.add(ImageGrid.image(ds.getFeatures().slice(i).dup().data().asFloat(), src.channels(), src.height(),
                        src.width(), 255), src.classNames().get(label));
            }
            Path png = grid.write(RunDirs.create(out, "data-" + task).resolve("preview.png"));
            System.out.println("wrote " + png);
            return 0;
        }
    }

    /** {@code cnnlab data export <task>}: a generated split as PNG files in class folders. */
    @Command(name = "export", description = "Write a generated data set's split as DIR/<class>/<n>.png (for eval --images).")
    static final class Export implements Callable<Integer> {
        @Parameters(index = "0", description = "generated task: color, shape, shape-color")
        String task;

        @Option(names = "--split", defaultValue = "test", description = "train, validation or test (default test)")
        String split;

        @Option(names = "--seed", defaultValue = "" + Experiments.SEED)
        long seed;

        @Option(names = "--out", required = true, description = "folder to write")
        Path out;

        @Override
        public Integer call() {
            if (!DataSources.info(task).generated()) {
                throw new cnnlab.UserError("export works on generated tasks (color, shape, shape-color), not " + task);
            }
            cnnlab.AtomicFiles.requireWritableFolder(out, "--out");
            InMemorySource src = (InMemorySource) DataSources.open(task, null, seed);
            ImageSet set = switch (split) {
                case "train" -> src.trainSet();
                case "validation" -> src.validationSet();
                case "test" -> src.testSet();
                default -> throw new cnnlab.UserError("unknown --split '" + split + "': use train, validation or test");
            };
            int n = ImageFolder.write(set, out);
            System.out.println("wrote " + n + " PNG files to " + out);
            return 0;
        }
    }
}
