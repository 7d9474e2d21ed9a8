package cnnlab.training;

import cnnlab.AtomicFiles;
import cnnlab.UserError;
import cnnlab.data.DataSource;
import cnnlab.data.DataSources;
import cnnlab.data.ImageSet;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.InitChoice;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import cnnlab.training.modern.ModernRecipe;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one training loop every experiment uses, after the book's {@code net.train(reader,
 * checkpoint, need_test)}: mini-batch training with a validation check every {@code checkpoint}
 * fraction of an epoch, the history of train/validation loss and accuracy, the best-validation
 * parameters kept, and at the end a test with the last and with the best parameters.
 *
 * <p>It survives: checkpoints (model + updater state + counters + history) are written atomically
 * every epoch and every {@code checkpointMinutes}, and {@link #resume} continues a stopped run; a NaN,
 * infinite or exploding loss stops the run with the best model so far kept ({@link TrainingDiverged});
 * {@code patience} stops when validation accuracy has not improved for that many checks. Everything
 * a run produces goes to its run folder (see {@link Report}).
 */
public final class Trainer {
    /** A loss above this (cross-entropy of a probability below e^-1000) means the run has exploded. */
    static final double EXPLODED_LOSS = 1000;

    /** What to train and how; defaults are the experiment's (the book's) hyper-parameters. */
    public static final class Options {
        // The defaults of what is not the experiment's own (the seed: Experiments.SEED); cnnlab train's options
        // take theirs from here.
        /** Where the best model is also copied. */
        public static final String MODELS_DIR = "models";
        /** Convolution/pooling layers and what "Xavier"/"MSRA" mean, as {@code --layers} and {@code --init} name them. */
        public static final String LAYERS = "dl4j";
        public static final String INIT = "book";
        /** Minutes between two checkpoints within an epoch. */
        public static final int CHECKPOINT_MINUTES = 10;
        /** Port of DL4J's training UI. */
        public static final int UI_PORT = 9000;

        private final Experiment experiment;
        private int epochs;
        private int batch;
        private double learningRate;
        private long seed = Experiments.SEED;
        private Path dataDir = DataSources.dataDir(null);
        private Path out = Path.of(RunDirs.DEFAULT_OUT);
        private Path modelsDir = Path.of(MODELS_DIR);
        private LayerChoice layers = LayerChoice.parse(LAYERS);
        private InitChoice init = InitChoice.parse(INIT);
        private int trainLimit;
        private int patience;
        private double checkpointMinutes = CHECKPOINT_MINUTES;
        private boolean ui;
        private int uiPort = UI_PORT;
        private Path stats;
        private DataSource data;
        private List<String> recipeFlags = List.of();

        public Options(Experiment e) {
            this.experiment = e;
            this.epochs = e.epochs();
            this.batch = e.batch();
            this.learningRate = e.learningRate();
        }

        public Experiment experiment() {
            return experiment;
        }

        public Options epochs(int n) {
            epochs = n;
            return this;
        }

        public Options batch(int n) {
            batch = n;
            return this;
        }

        public Options learningRate(double lr) {
            learningRate = lr;
            return this;
        }

        public Options seed(long s) {
            seed = s;
            return this;
        }

        public Options dataDir(Path d) {
            dataDir = d;
            return this;
        }

        /** Runs go to {@code out/<experiment>/<run-id>/}. */
        public Options out(Path d) {
            out = d;
            return this;
        }

        /** The best model is also copied to {@code dir/<experiment>.zip}; null: not copied. */
        public Options modelsDir(Path d) {
            modelsDir = d;
            return this;
        }

        public Options layers(LayerChoice l) {
            layers = l;
            return this;
        }

        /** What "Xavier" and "MSRA" mean for the book-framework networks (18.1-18.5). */
        public Options init(InitChoice i) {
            init = i;
            return this;
        }

        /** Train on a random subset of {@code n} training examples (0: all). */
        public Options trainLimit(int n) {
            trainLimit = n;
            return this;
        }

        /** Stop when validation accuracy has not improved for {@code n} checks (0: never). */
        public Options patience(int n) {
            patience = n;
            return this;
        }

        /** Write a checkpoint at least this often (besides every epoch). */
        public Options checkpointMinutes(double m) {
            checkpointMinutes = m;
            return this;
        }

        /** Attach DL4J's training UI on 127.0.0.1:{@code port}. */
        public Options ui(boolean on, int port) {
            ui = on;
            uiPort = port;
            return this;
        }

        /** Record DL4J training statistics to this file (for {@code cnnlab ui FILE}). */
        public Options stats(Path file) {
            stats = file;
            return this;
        }

        /** Ablation flags of a modern recipe, e.g. {@code no-tta} (see {@code cnnlab.models.modern.Ablation}). */
        public Options recipeFlags(List<String> flags) {
            recipeFlags = List.copyOf(flags);
            return this;
        }

        /** Use this data source instead of opening the experiment's (tests use small sets). */
        public Options data(DataSource d) {
            data = d;
            return this;
        }

        void validate() {
            if (epochs <= 0) {
                throw new UserError("--epochs must be positive, got " + epochs);
            }
            if (batch <= 0) {
                throw new UserError("--batch must be positive, got " + batch);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new UserError("--lr must be a positive number, got " + learningRate);
            }
            if (patience < 0 || trainLimit < 0) {
                throw new UserError("--patience and --train-limit must not be negative");
            }
            if (!(checkpointMinutes > 0)) {
                throw new UserError("--checkpoint-minutes must be positive, got " + checkpointMinutes);
            }
            if (init != InitChoice.BOOK && !experiment.usesBookFramework()) {
                throw new UserError("--init applies to the book-framework experiments of 18.1-18.5; "
                        + experiment.name() + " (" + experiment.section() + ") has its own initialisation");
            }
            if (layers == LayerChoice.CUSTOM && !experiment.isCnn()) {
                throw new UserError("--layers custom needs a CNN experiment; " + experiment.name()
                        + " has no convolutions");
            }
            if (ModernRecipe.forRun(experiment, recipeFlags) != Recipe.NONE && layers == LayerChoice.CUSTOM) {
                throw new UserError("--layers custom: " + experiment.name() + " is built from DL4J's layers only");
            }
        }

        /** What {@code --resume} needs to rebuild these options ({@code options.json} in the run folder). */
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("experiment", experiment.name());
            m.put("epochs", epochs);
            m.put("batch", batch);
            m.put("learning_rate", learningRate);
            m.put("seed", seed);
            m.put("data_dir", dataDir.toString());
            m.put("models_dir", modelsDir == null ? null : modelsDir.toString());
            m.put("layers", layers.name().toLowerCase(Locale.ROOT));
            m.put("init", init.name().toLowerCase(Locale.ROOT));
            m.put("train_limit", trainLimit);
            m.put("patience", patience);
            m.put("checkpoint_minutes", checkpointMinutes);
            m.put("recipe_flags", recipeFlags);
            return m;
        }

        static Options fromMap(Map<String, Object> m) {
            Options o = new Options(Experiments.get((String) m.get("experiment")))
                    .epochs(((Number) m.get("epochs")).intValue())
                    .batch(((Number) m.get("batch")).intValue())
                    .learningRate(((Number) m.get("learning_rate")).doubleValue())
                    .seed(((Number) m.get("seed")).longValue())
                    .dataDir(Path.of((String) m.get("data_dir")))
                    .layers(LayerChoice.parse((String) m.get("layers")))
                    .init(InitChoice.parse((String) m.getOrDefault("init", "book")))
                    .trainLimit(((Number) m.get("train_limit")).intValue())
                    .patience(((Number) m.get("patience")).intValue())
                    .checkpointMinutes(((Number) m.get("checkpoint_minutes")).doubleValue());
            o.modelsDir(m.get("models_dir") == null ? null : Path.of((String) m.get("models_dir")));
            if (m.get("recipe_flags") instanceof List<?> flags) {
                o.recipeFlags(flags.stream().map(String::valueOf).toList());
            }
            return o;
        }
    }

    /** What a finished run leaves: its folder, its result ({@code result.json}), its history and its network. */
    public record Outcome(Path runDir, TrainResult result, History history, Net net) {
    }

    private final PrintStream log;
    private Step step = Step.ONE_BATCH;

    public Trainer(PrintStream log) {
        this.log = log;
    }

    /** Fits mini-batches this way instead of one at a time on this machine (e.g. on Spark, {@code cnnlab.spark}). */
    public Trainer step(Step s) {
        step = s;
        return this;
    }


    /** The run folder this trainer created, until the run has written something worth keeping. */
    private Path created;

    /**
     * Trains from scratch into a new run folder. Everything that can be checked is checked first
     * ({@link #preflight}); a run that fails before its first checkpoint leaves no run folder behind.
     */
    public Outcome run(Options o) {
        o.validate();
        preflight(o);
        created = null;
        try {
            return train(o, null, null);
        } catch (RuntimeException ex) {
            if (created != null && !(ex instanceof TrainingDiverged) && Stream.of(Checkpoint.FILE, Checkpoint.PREVIOUS,
                    "model.zip").noneMatch(f -> Files.exists(created.resolve(f)))) {
                RunDirs.discard(created);
            }
            throw ex;
        }
    }

    /**
     * What can go wrong after the data are read and the network built, checked before: the output and
     * models folders writable, the statistics file usable, the UI port free.
     */
    static void preflight(Options o) {
        AtomicFiles.requireWritableFolder(o.out, "--out");
        if (o.modelsDir != null) {
            AtomicFiles.requireWritableFolder(o.modelsDir, "--models");
            Path target = o.modelsDir.resolve(o.experiment.name() + ".zip");
            if (Files.isDirectory(target)) {
                throw new UserError("--models " + o.modelsDir + ": " + target + " is a folder; the model cannot be "
                        + "copied there");
            }
        }
        if (o.stats != null) {
            TrainingUI.checkStatsFile(o.stats, false, "--stats");
        }
        if (o.ui) {
            TrainingUI.checkPortFree(o.uiPort, "--ui-port");
        }
    }

    /**
     * Continues a stopped run from its newest readable checkpoint, with the run's own options; the
     * history and plots continue where they stopped.
     */
    public Outcome resume(Path runDir, DataSource data) {
        if (!Files.isDirectory(runDir)) {
            throw new UserError("run folder not found: " + runDir);
        }
        if (Files.exists(runDir.resolve("result.json"))) {
            throw new UserError("run " + runDir + " has already finished (result.json exists)");
        }
        Path optionsFile = runDir.resolve(Checkpoint.OPTIONS);
        if (!Files.exists(optionsFile)) {
            throw new UserError(runDir + " is not a cnnlab run folder (no " + Checkpoint.OPTIONS + ")");
        }
        Options o;
        try {
            o = Options.fromMap(Json.readMap(optionsFile)).out(runDir.toAbsolutePath().getParent().getParent()).data(data);
        } catch (UserError ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw new UserError(optionsFile + " is damaged (a setting is missing or of the wrong type); the run "
                    + "cannot be resumed", ex);
        }
        if (!Files.exists(runDir.resolve(Checkpoint.FILE)) && !Files.exists(runDir.resolve(Checkpoint.PREVIOUS))) {
            throw new UserError("nothing to resume in " + runDir + ": the run stopped before its first checkpoint "
                    + "(written after each epoch and every --checkpoint-minutes); start it again with 'cnnlab train "
                    + o.experiment.name() + "'");
        }
        AtomicFiles.requireWritableFolder(runDir, "--resume");
        if (o.modelsDir != null) {
            AtomicFiles.requireWritableFolder(o.modelsDir, "the run's models folder");
        }
        Checkpoint cp = Checkpoint.load(runDir, log);
        return train(o, runDir, cp);
    }

    /** A run in three stages: open the data and the network, the loop of fit / check / stop, finish. */
    private Outcome train(Options o, Path resumeDir, Checkpoint cp) {
        Run run = new Run(o, resumeDir, cp);
        run.loop();
        return run.finish();
    }

    /** The experiment's data, validated on its test set if the experiment says so, limited by {@code --train-limit}. */
    private static DataSource openData(Options o) {
        Experiment e = o.experiment();
        DataSource src = o.data != null ? o.data : DataSources.open(e.data(), o.dataDir, o.seed);
        if (e.validateOnTest()) {
            src = src.validatingOnTest();
        }
        if (o.trainLimit > 0) {
            src = src.limitTrain(o.trainLimit, o.seed);
        }
        return src;
    }

    /**
     * One run: what the constructor opens (data, network, run folder, iterators) and the counters and best
     * parameters the loop updates. Everything a checkpoint saves is in {@link #st}.
     */
    private final class Run {
        final Options o;
        final Experiment e;
        final DataSource src;
        final Recipe recipe;
        final Net net;
        final Path dir;
        final Checkpoint.State st;
        final boolean resumed;
        final ModelMeta meta;
        final TrainingUI.Monitor monitor;
        final Pipeline pipeline;
        final DataSetIterator train;
        final DataSetIterator val;
        final DataSetIterator test;
        /** The parameters of the best validation check so far (null before the first check). */
        INDArray bestParams;
        /** The last validation check's result and the iteration it was made at (-1: none in this process). */
        private Evaluator.Result lastCheck;
        private long lastCheckIteration = -1;
        /** The iteration whose weights {@link #bestParams} copied in this process (-1: none, or from a checkpoint). */
        private long bestIteration = -1;
        /** Training time, resumed parts added up; set when the loop ends. */
        double trainSeconds;

        /**
         * Stage 1, open: the data, then a new network in a new run folder, or the checkpoint's network in its
         * own folder; the monitor, the input pipeline and the three iterators.
         */
        Run(Options o, Path resumeDir, Checkpoint cp) {
            this.o = o;
            e = o.experiment();
            src = openData(o);
            recipe = ModernRecipe.forRun(e, o.recipeFlags);
            resumed = cp != null;
            if (cp == null) {
                NetSpec spec = new NetSpec(src.channels(), src.height(), src.width(), src.classNames().size(),
                        o.learningRate, o.seed, o.layers, o.init);
                Nd4j.getRandom().setSeed(o.seed);
                net = Net.build(recipe.network(e, spec, ImageSet.trainingBatches(src.trainSize(), o.batch) * (long) o.epochs));
                recipe.initialise(net, src);
                dir = RunDirs.create(o.out, e.name());
                created = dir;
                Json.write(o.toMap(), dir.resolve(Checkpoint.OPTIONS));
                st = new Checkpoint.State();
            } else {
                net = cp.net();
                dir = resumeDir;
                st = cp.state();
                bestParams = Checkpoint.bestParams(dir);
                log.printf("resuming %s at epoch %d, iteration %d%n", dir, st.epoch, st.iteration);
            }
            log.println("backend: " + Backend.describe()); // after the build: the thread count depends on the net
            meta = new ModelMeta(e.name(), src.name(), e.view(), src.channels(), src.height(), src.width(),
                    src.classNames(), o.layers.name().toLowerCase(Locale.ROOT), o.seed);
            log.printf("experiment %s (book %s): %d epochs, batch %d, lr %s, seed %d, %d parameters, %s layers, %d "
                    + "training images%n", e.name(), e.section(), o.epochs, o.batch, o.learningRate, o.seed,
                    net.numParams(), meta.layers(), src.trainSize());
            log.println("run folder: " + dir);
            monitor = TrainingUI.Monitor.attach(net, o.ui, o.uiPort, o.stats, log);

            pipeline = new Pipeline(src.normalizer(), e.view());
            train = recipe.train(src, o.batch, o.seed, e.augment());
            val = src.validation(256);
            test = src.test(256);
            train.setPreProcessor(pipeline);
            val.setPreProcessor(pipeline);
            test.setPreProcessor(pipeline);
        }

        /**
         * Stage 2, the loop: epochs of mini-batches with a validation check every {@code checkpoint} fraction of
         * an epoch and at each epoch's end ({@link #check}), until the last epoch or a stop ({@link #stopReason});
         * a checkpoint after every epoch and every {@code checkpointMinutes}. A diverging loss or NaN weights
         * end the run ({@link TrainingDiverged}).
         */
        void loop() {
            long itersPerEpoch = ImageSet.trainingBatches(src.trainSize(), o.batch);
            long checkEvery = Math.max(1, Math.round(itersPerEpoch * e.checkpoint()));
            long totalIters = itersPerEpoch * o.epochs;
            recipe.attach(net, src, itersPerEpoch, totalIters);
            Progress progress = new Progress(totalIters, st.iteration);
            String status = "";
            long lastCheckpoint = System.nanoTime();
            long start = System.nanoTime() - (long) (st.seconds * 1e9);
            for (int p = 1; p < st.epoch; p++) {
                train.reset(); // the training order of epoch p is reshuffled from seed + p
            }
            epochs:
            while (st.epoch <= o.epochs) {
                train.reset();
                for (int b = 0; b < st.batchesDone && train.hasNext(); b++) {
                    train.next(); // resuming mid-epoch: skip what was already trained
                }
                Nd4j.getRandom().setSeed(o.seed + 7919L * st.epoch + st.batchesDone);
                while (train.hasNext()) {
                    // checkpoint <= 1: checks within each epoch and at its end; > 1: every checkEvery steps and at the last
                    long counted = e.checkpoint() <= 1 ? st.batchesDone : st.iteration;
                    Step.Fitted fitted = step.fit(net, train, checkEvery - counted % checkEvery);
                    double loss = fitted.loss();
                    st.iteration += fitted.batches();
                    st.batchesDone += fitted.batches();
                    if (!Double.isFinite(loss) || loss > EXPLODED_LOSS) {
                        throw diverged("loss " + loss);
                    }
                    st.lossSum += loss * fitted.batches();
                    st.lossCount += fitted.batches();
                    counted += fitted.batches();
                    boolean due = e.checkpoint() <= 1 ? counted % checkEvery == 0 || !train.hasNext()
                            : counted % checkEvery == 0 || !train.hasNext() && st.epoch == o.epochs;
                    if (due) {
                        History.Check c = check(fitted.last());
                        status = String.format("epoch %d/%d loss %.4f val %.2f%% (best %.2f%%)", st.epoch, o.epochs,
                                c.trainLoss(), 100 * c.valAccuracy(), 100 * st.bestVal);
                        String stop = stopReason(c.trainLoss());
                        if (stop != null) {
                            st.stopReason = stop;
                            progress.update(totalIters, status + " - " + stop + ", stopping");
                            break epochs;
                        }
                    }
                    progress.update(st.iteration, st.lossCount == 0 ? status : status + String.format(
                            "%sepoch %d/%d loss %.4f", status.isEmpty() ? "" : " | ", st.epoch, o.epochs,
                            st.lossSum / st.lossCount));
                    if (train.hasNext() && System.nanoTime() - lastCheckpoint > o.checkpointMinutes * 60e9) {
                        checkpoint(start);
                        lastCheckpoint = System.nanoTime();
                    }
                }
                st.epoch++;
                st.batchesDone = 0;
                checkpoint(start);
                lastCheckpoint = System.nanoTime();
            }
            trainSeconds = (System.nanoTime() - start) / 1e9;
        }

        /**
         * One validation check after the mini-batch {@code last}: the weights must still be finite; adds the
         * train loss (mean since the previous check), the train accuracy (on {@code last}) and the validation
         * loss and accuracy to the history, and keeps the parameters if they are the best so far.
         */
        private History.Check check(DataSet last) {
            if (!Double.isFinite(net.params().sumNumber().doubleValue())) {
                throw diverged("weights became NaN or infinite");
            }
            double trainAcc = Evaluator.accuracy(net.output(last.getFeatures()), last.getLabels());
            Evaluator.Result v = Evaluator.evaluate(net, val, src.classNames());
            lastCheck = v;
            lastCheckIteration = st.iteration;
            History.Check c = new History.Check(st.epoch, st.iteration, st.lossSum / st.lossCount, trainAcc, v.loss(),
                    v.accuracy());
            st.history.add(c);
            st.lossSum = 0;
            st.lossCount = 0;
            if (v.accuracy() > st.bestVal) {
                st.bestVal = v.accuracy();
                st.checksSinceBest = 0;
                bestParams = net.params().dup();
                bestIteration = st.iteration;
                st.bestSaved = false;
            } else {
                st.checksSinceBest++;
            }
            return c;
        }

        /** Why to stop after a check (null: go on): the experiment's target training loss, or {@code --patience}. */
        private String stopReason(double trainLoss) {
            if (!Double.isNaN(e.stopLoss()) && trainLoss < e.stopLoss()) {
                return "training loss below " + e.stopLoss();
            }
            if (o.patience > 0 && st.checksSinceBest >= o.patience) {
                return "no better validation accuracy for " + o.patience + " checks";
            }
            return null;
        }

        /** Writes a checkpoint of the run as it stands ({@code start}: when training began, minus resumed time). */
        private void checkpoint(long start) {
            st.seconds = (System.nanoTime() - start) / 1e9;
            Checkpoint.write(dir, net, st, bestParams, src.normalizer(), meta);
        }

        /**
         * Stage 3, finish: test the last parameters and the best-validation ones, save both models, then
         * {@code result.json}, the pictures and the report; the checkpoints are no longer needed.
         */
        Outcome finish() {
            monitor.close();
            // validated on the test set with these very weights (a check right after the last step): no second pass
            boolean checked = src.validationIsTest() && lastCheckIteration == st.iteration;
            Evaluator.Result lastTest = checked ? lastCheck : Evaluator.evaluate(net, test, src.classNames());
            Map<String, Object> recipeResults = recipe.finish(net, src, pipeline, lastTest.accuracy());
            net.save(dir.resolve("model-last.zip"), src.normalizer(), meta.toJson());
            // the best weights are the last ones when they were copied after the last step (INDArray.equals
            // would also call weights within 1e-5 of each other equal)
            boolean bestIsLast = bestParams == null || bestIteration == st.iteration;
            if (!bestIsLast) {
                net.setParams(bestParams);
            }
            Evaluator.Result bestTest = bestIsLast ? lastTest : Evaluator.evaluate(net, test, src.classNames());
            Path best = dir.resolve("model.zip");
            net.save(best, src.normalizer(), meta.toJson());
            if (o.modelsDir != null) {
                Net.copyAtomically(best, o.modelsDir.resolve(e.name() + ".zip"));
            }

            TrainResult result = new TrainResult(e.name(), e.section(), e.bookAccuracy(), e.bookModel(),
                    lastTest.accuracy(), bestTest.accuracy(), st.bestVal, bestTest.examples(),
                    st.stopReason != null ? st.epoch : st.epoch - 1, st.iteration, st.stopReason,
                    o.batch, o.learningRate, trainSeconds, Backend.name(), Backend.describe(),
                    o.seed, o.layers, e.usesBookFramework() ? o.init : null, net.numParams(),
                    src.trainSize(), src.validationIsTest(), o.trainLimit, resumed, step.describe(), recipeResults);

            if (e.isCnn()) {
                Visualizer.tryWrite(net, meta, pipeline, src, dir).notes().forEach(log::println);
            }
            Report.write(dir, e, result, st.history, bestTest, net, src, pipeline);
            Checkpoint.delete(dir);
            log.println(result.verdict());
            log.println("report: " + dir.resolve("report.html"));
            return new Outcome(dir, result, st.history, net);
        }

        /** Keeps the best model so far and the history, and says what went wrong. */
        private TrainingDiverged diverged(String what) {
            String lastGood = st.history.isEmpty() ? "none yet" : String.format("%.6f", st.history.last().trainLoss());
            String kept = "no model was saved (no validation check passed yet)";
            if (bestParams != null) {
                net.setParams(bestParams);
                net.save(dir.resolve("model.zip"), src.normalizer(), meta.toJson());
                kept = "best model so far (validation " + String.format("%.2f%%", 100 * st.bestVal) + ") kept in "
                        + dir.resolve("model.zip");
            }
            st.history.writeCsv(dir.resolve("metrics.csv"));
            return new TrainingDiverged(String.format(
                    "training diverged: %s at epoch %d, iteration %d (last good loss %s); %s. Try a smaller --lr.",
                    what, st.epoch, st.iteration, lastGood, kept));
        }
    }


    /** Thrown when the loss becomes NaN, infinite or explodes; the CLI exits with code 3. */
    public static final class TrainingDiverged extends UserError {
        public TrainingDiverged(String message) {
            super(message);
        }
    }
}
