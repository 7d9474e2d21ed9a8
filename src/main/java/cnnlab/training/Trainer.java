package cnnlab.training;

import cnnlab.UserError;
import cnnlab.data.DataSource;
import cnnlab.data.DataSources;
import cnnlab.models.Experiment;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one training loop every experiment uses, after the book's {@code net.train(reader,
 * checkpoint, need_test)}: mini-batch training with a validation check every {@code checkpoint}
 * fraction of an epoch, the history of train/validation loss and accuracy, the best-validation
 * parameters kept, and at the end a test with the last and with the best parameters. Everything a
 * run produces goes to its run folder (see {@link Report}).
 */
public final class Trainer {

    /**
     * @param experiment what to train
     * @param epochs epochs (the experiment's by default)
     * @param batch mini-batch size
     * @param learningRate learning rate
     * @param seed seed for data generation, shuffling and weight initialisation
     * @param dataDir data directory for real data sets
     * @param out the run folder goes to {@code out/<experiment>/<run-id>/}
     * @param modelsDir the best model is also copied to {@code modelsDir/<experiment>.zip} (null: not copied)
     * @param layers DL4J's or cnnlab's own convolution/pooling layers
     * @param data the data source to use, or null to open the experiment's own
     */
    public record Options(Experiment experiment, int epochs, int batch, double learningRate, long seed, Path dataDir,
                          Path out, Path modelsDir, LayerChoice layers, DataSource data) {
        public Options {
            if (epochs <= 0) {
                throw new UserError("--epochs must be positive, got " + epochs);
            }
            if (batch <= 0) {
                throw new UserError("--batch must be positive, got " + batch);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new UserError("--lr must be a positive number, got " + learningRate);
            }
            if (layers == LayerChoice.CUSTOM && !experiment.isCnn()) {
                throw new UserError("--layers custom needs a CNN experiment; " + experiment.name() + " has no convolutions");
            }
        }

        /** The experiment's own hyper-parameters. */
        public static Options defaults(Experiment e, Path out) {
            return new Options(e, e.epochs(), e.batch(), e.learningRate(), 42, DataSources.dataDir(null), out,
                    Path.of("models"), LayerChoice.DL4J, null);
        }
    }

    /** What a finished run reports. */
    public record Outcome(Path runDir, Map<String, Object> result, History history, Net net) {
    }

    private final PrintStream log;

    public Trainer(PrintStream log) {
        this.log = log;
    }

    public Outcome run(Options o) {
        Experiment e = o.experiment();
        log.println("backend: " + Backend.describe());
        Nd4j.getRandom().setSeed(o.seed());
        DataSource src = o.data() != null ? o.data() : DataSources.open(e.data(), o.dataDir(), o.seed());
        NetSpec spec = new NetSpec(src.channels(), src.height(), src.width(), src.classNames().size(),
                o.learningRate(), o.seed(), o.layers());
        Net net = Net.build(e.network().apply(spec));
        Path runDir = RunDirs.create(o.out(), e.name());
        log.printf("experiment %s (book %s): %d epochs, batch %d, lr %s, seed %d, %d parameters, %s layers%n",
                e.name(), e.section(), o.epochs(), o.batch(), o.learningRate(), o.seed(), net.numParams(),
                o.layers().name().toLowerCase(java.util.Locale.ROOT));
        log.println("run folder: " + runDir);

        Pipeline pipeline = new Pipeline(src.normalizer(), e.view());
        DataSetIterator train = src.train(o.batch(), o.seed(), e.augment());
        DataSetIterator val = src.validation(256);
        DataSetIterator test = src.test(256);
        train.setPreProcessor(pipeline);
        val.setPreProcessor(pipeline);
        test.setPreProcessor(pipeline);

        long itersPerEpoch = (src.trainSize() + o.batch() - 1) / o.batch();
        long checkEvery = Math.max(1, Math.round(itersPerEpoch * e.checkpoint()));
        long totalIters = itersPerEpoch * o.epochs();
        History history = new History();
        Progress progress = new Progress(totalIters);
        INDArray bestParams = null;
        double bestVal = -1;
        long iter = 0;
        long start = System.nanoTime();
        double lossSum = 0;
        int lossCount = 0;
        boolean stoppedEarly = false;
        String status = "";
        int epochsRun = 0;
        epochs:
        for (int epoch = 1; epoch <= o.epochs(); epoch++) {
            train.reset();
            epochsRun = epoch;
            long inEpoch = 0;
            while (train.hasNext()) {
                DataSet ds = train.next();
                double loss = net.fit(ds);
                iter++;
                inEpoch++;
                if (!Double.isFinite(loss)) {
                    throw divergence(o, net, src, runDir, history, bestParams, epoch, iter, loss);
                }
                lossSum += loss;
                lossCount++;
                if (inEpoch % checkEvery == 0 || !train.hasNext()) {
                    double trainAcc = Evaluator.accuracy(net.output(ds.getFeatures()), ds.getLabels());
                    Evaluator.Result v = Evaluator.evaluate(net, val, src.classNames());
                    double secs = (System.nanoTime() - start) / 1e9;
                    double trainLoss = lossSum / lossCount;
                    history.add(new History.Check(epoch, iter, trainLoss, trainAcc, v.loss(), v.accuracy(), secs));
                    lossSum = 0;
                    lossCount = 0;
                    if (v.accuracy() > bestVal) {
                        bestVal = v.accuracy();
                        bestParams = net.params().dup();
                    }
                    status = String.format("epoch %d/%d loss %.4f val %.2f%% (best %.2f%%)", epoch, o.epochs(),
                            trainLoss, 100 * v.accuracy(), 100 * bestVal);
                    if (!Double.isNaN(e.stopLoss()) && trainLoss < e.stopLoss()) {
                        stoppedEarly = true;
                        progress.update(totalIters, status + " - training loss below " + e.stopLoss() + ", stopping");
                        break epochs;
                    }
                }
                progress.update(iter, status);
            }
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        long images = (long) src.trainSize() * epochsRun;

        Evaluator.Result lastTest = Evaluator.evaluate(net, test, src.classNames());
        ModelMeta meta = new ModelMeta(e.name(), src.name(), e.view(), src.channels(), src.height(), src.width(),
                src.classNames(), o.layers().name().toLowerCase(java.util.Locale.ROOT), o.seed());
        net.save(runDir.resolve("model-last.zip"), src.normalizer(), meta.toJson());
        if (bestParams != null) {
            net.setParams(bestParams);
        }
        Evaluator.Result bestTest = Evaluator.evaluate(net, test, src.classNames());
        Path best = runDir.resolve("model.zip");
        net.save(best, src.normalizer(), meta.toJson());
        if (o.modelsDir() != null) {
            Net.copyAtomically(best, o.modelsDir().resolve(e.name() + ".zip"));
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("experiment", e.name());
        result.put("section", e.section());
        result.put("book_accuracy", Double.isNaN(e.bookAccuracy()) ? null : e.bookAccuracy());
        result.put("test_accuracy_last", lastTest.accuracy());
        result.put("test_accuracy_best", bestTest.accuracy());
        result.put("best_validation_accuracy", bestVal);
        result.put("test_examples", bestTest.examples());
        result.put("epochs", epochsRun);
        result.put("iterations", iter);
        result.put("stopped_early", stoppedEarly);
        result.put("batch", o.batch());
        result.put("learning_rate", o.learningRate());
        result.put("train_seconds", round(trainSeconds, 2));
        result.put("images_per_second", round(images / trainSeconds, 1));
        result.put("backend", Backend.name());
        result.put("backend_detail", Backend.describe());
        result.put("seed", o.seed());
        result.put("layers", meta.layers());
        result.put("parameters", net.numParams());
        result.put("train_examples", src.trainSize());

        Report.write(runDir, e, result, history, bestTest, net, src, pipeline);
        log.println(verdict(result));
        log.println("report: " + runDir.resolve("report.html"));
        return new Outcome(runDir, result, history, net);
    }

    /** One line comparing the run's test accuracy with the book's number. */
    static String verdict(Map<String, Object> r) {
        double last = (double) r.get("test_accuracy_last"), best = (double) r.get("test_accuracy_best");
        String s = String.format("test accuracy: %.2f%% (last), %.2f%% (best validation)", 100 * last, 100 * best);
        Object book = r.get("book_accuracy");
        if (book instanceof Double b) {
            double ours = Math.max(last, best);
            s += String.format("; book: %.2f%% -> %s by %.2f points", 100 * b, ours >= b ? "above" : "below",
                    100 * Math.abs(ours - b));
        }
        return s;
    }

    private UserError divergence(Options o, Net net, DataSource src, Path runDir, History history,
                                 INDArray bestParams, int epoch, long iter, double loss) {
        String lastGood = history.isEmpty() ? "none yet" : String.format("%.6f", history.last().trainLoss());
        if (bestParams != null) {
            net.setParams(bestParams);
            ModelMeta meta = new ModelMeta(o.experiment().name(), src.name(), o.experiment().view(), src.channels(),
                    src.height(), src.width(), src.classNames(), o.layers().name().toLowerCase(java.util.Locale.ROOT), o.seed());
            net.save(runDir.resolve("model.zip"), src.normalizer(), meta.toJson());
        }
        history.writeCsv(runDir.resolve("metrics.csv"));
        return new TrainingDiverged(String.format(
                "training diverged: loss %s at epoch %d, iteration %d (last good loss %s); %s",
                loss, epoch, iter, lastGood, bestParams != null
                        ? "best model so far kept in " + runDir.resolve("model.zip") : "no model was saved"));
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** Thrown when the loss becomes NaN or infinite. */
    public static final class TrainingDiverged extends UserError {
        public TrainingDiverged(String message) {
            super(message);
        }
    }
}
