package cnnlab.cli;

import cnnlab.UserError;
import cnnlab.data.DataSources;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.InitChoice;
import cnnlab.models.LayerChoice;
import cnnlab.training.RunDirs;
import cnnlab.training.Step;
import cnnlab.training.Trainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnnlab train <experiment>}: trains, evaluates, saves the model and writes the run's report. */
@Command(name = "train", description = "Train an experiment, test it, save the model and write its report.")
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", description = "experiment name (see 'cnnlab list')")
    String experiment;

    @Option(names = "--epochs", description = "epochs (default: the book's)")
    Integer epochs;

    @Option(names = "--batch", description = "mini-batch size (default: the book's)")
    Integer batch;

    @Option(names = "--lr", description = "learning rate (default: the book's)")
    Double lr;

    @Option(names = "--seed", defaultValue = "" + Experiments.SEED,
            description = "seed for data, shuffling and initialisation (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--data-dir", description = "data directory (default: $CNNLAB_DATA or data/)")
    String dataDir;

    @Option(names = "--out", defaultValue = RunDirs.DEFAULT_OUT,
            description = "runs go to OUT/<experiment>/<run-id>/ (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--models", defaultValue = Trainer.Options.MODELS_DIR,
            description = "the best model is also copied to MODELS/<experiment>.zip (default ${DEFAULT-VALUE})")
    Path models;

    @Option(names = "--layers", defaultValue = Trainer.Options.LAYERS,
            description = "convolution/pooling layers: dl4j or custom (chapter 17's)")
    String layers;

    @Option(names = "--init", defaultValue = Trainer.Options.INIT,
            description = "what Xavier/MSRA mean for the 18.1-18.5 nets: book (its framework's scales) or standard (Glorot/He)")
    String init;

    @Option(names = "--train-limit", defaultValue = "0", description = "train on a random subset of N training images (0: all)")
    int trainLimit;

    @Option(names = "--patience", defaultValue = "0",
            description = "stop when validation accuracy has not improved for N checks (0: never)")
    int patience;

    @Option(names = "--checkpoint-minutes", defaultValue = "" + Trainer.Options.CHECKPOINT_MINUTES,
            description = "write a checkpoint at least this often, besides every epoch (default ${DEFAULT-VALUE})")
    double checkpointMinutes;

    @Option(names = "--resume", description = "continue the stopped run in this run folder (its own settings are used)")
    Path resume;

    @Option(names = "--ui", description = "show DL4J's training UI on http://127.0.0.1:PORT/train/overview")
    boolean ui;

    @Option(names = "--ui-port", defaultValue = "" + Trainer.Options.UI_PORT,
            description = "port of the training UI (default ${DEFAULT-VALUE})")
    int uiPort;

    @Option(names = "--stats", description = "record training statistics to FILE (view with 'cnnlab ui FILE')")
    Path stats;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "train data-parallel on Spark: local[N] or spark://host:port (needs a -Pcpu,spark build; docs/SCALING.md)")
    String spark;

    @Option(names = "--spark-mode", defaultValue = "averaging",
            description = "averaging (synchronous parameter averaging) or sharing (threshold-encoded gradient sharing)")
    String sparkMode;

    @Option(names = "--workers", defaultValue = "0", description = "Spark workers (default: N of local[N], else Spark's parallelism)")
    int workers;

    @Option(names = "--batch-per-worker", defaultValue = "0", description = "mini-batch per worker (default: batch / workers)")
    int batchPerWorker;

    @Option(names = "--averaging-frequency", defaultValue = "1",
            description = "averaging: mini-batches per worker between averagings (default 1: same steps as one machine)")
    int averagingFrequency;

    @Option(names = "--no-tta", description = "cifar10-fast: no test-time augmentation")
    boolean noTta;

    @Option(names = "--no-ema", description = "cifar10-fast: no weight averaging (lookahead/EMA)")
    boolean noEma;

    @Option(names = "--no-whitening", description = "cifar10-fast: first convolution randomly initialised and trained")
    boolean noWhitening;

    @Option(names = "--no-label-smoothing", description = "cifar10-fast, mnist-modern, fashion-modern: plain cross-entropy")
    boolean noLabelSmoothing;

    @Option(names = "--plain-flip", description = "cifar10-fast: random flips instead of alternating ones")
    boolean plainFlip;

    @Override
    public Integer call() {
        if (spark != null) {
            try (Step step = SparkTrain.start(this)) {
                return train(new Trainer(System.out).step(step));
            }
        }
        return train(new Trainer(System.out));
    }

    private Integer train(Trainer trainer) {
        if (resume != null) {
            rejectWithResume();
            trainer.resume(resume, null);
            return 0;
        }
        if (experiment == null) {
            throw new UserError("name an experiment to train (see 'cnnlab list'), or --resume a run folder");
        }
        Experiment e = Experiments.get(experiment);
        Trainer.Options o = new Trainer.Options(e)
                .seed(seed)
                .dataDir(DataSources.dataDir(dataDir))
                .out(out)
                .modelsDir(models)
                .layers(LayerChoice.parse(layers))
                .init(InitChoice.parse(init))
                .trainLimit(trainLimit)
                .patience(patience)
                .checkpointMinutes(checkpointMinutes)
                .ui(ui, uiPort)
                .stats(stats)
                .recipeFlags(recipeFlags());
        if (epochs != null) {
            o.epochs(epochs);
        }
        if (batch != null) {
            o.batch(batch);
        }
        if (lr != null) {
            o.learningRate(lr);
        }
        trainer.run(o);
        return 0;
    }

    /** How to fit (on Spark, with which workers) may change on resume; what is trained may not. */
    private static final java.util.Set<String> SPARK_OPTIONS =
            java.util.Set.of("--spark", "--spark-mode", "--workers", "--batch-per-worker", "--averaging-frequency");

    /**
     * A resumed run continues with the settings saved in its {@code options.json}: any other option given
     * with {@code --resume}, or an experiment other than the run's, is refused rather than silently ignored.
     */
    private void rejectWithResume() {
        java.util.List<String> given = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(o -> o.longestName()).filter(n -> !n.equals("--resume") && !SPARK_OPTIONS.contains(n)).distinct().toList();
        if (!given.isEmpty()) {
            throw new UserError("--resume continues " + resume + " with the settings it was started with; "
                    + String.join(", ", given) + " cannot be changed (drop "
                    + (given.size() == 1 ? "it" : "them") + ", or start a new run)");
        }
        if (experiment != null) {
            Path options = resume.resolve(cnnlab.training.Checkpoint.OPTIONS);
            Object ran = java.nio.file.Files.isRegularFile(options) ? cnnlab.training.Json.readMap(options).get("experiment")
                    : null;
            if (ran != null && !experiment.equals(ran)) {
                throw new UserError("--resume " + resume + " is a run of " + ran + ", not of " + experiment);
            }
        }
    }

    /** The recipe ablation flags that are set, as {@code cnnlab.models.modern.Ablation} names them. */
    private java.util.List<String> recipeFlags() {
        java.util.List<String> l = new java.util.ArrayList<>();
        boolean[] set = {noTta, noEma, noWhitening, noLabelSmoothing, plainFlip};
        for (int i = 0; i < set.length; i++) {
            if (set[i]) {
                l.add(cnnlab.models.modern.Ablation.FLAGS.get(i));
            }
        }
        return l;
    }
}
