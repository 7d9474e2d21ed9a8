package cnnlab.cli;

import cnnlab.data.DataSources;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.LayerChoice;
import cnnlab.training.RunDirs;
import cnnlab.training.Trainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnnlab train <experiment>}: trains, evaluates, saves the model and writes the run's report. */
@Command(name = "train", description = "Train an experiment, test it, save the model and write its report.")
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "experiment name (see 'cnnlab list')")
    String experiment;

    @Option(names = "--epochs", description = "epochs (default: the book's)")
    Integer epochs;

    @Option(names = "--batch", description = "mini-batch size (default: the book's)")
    Integer batch;

    @Option(names = "--lr", description = "learning rate (default: the book's)")
    Double lr;

    @Option(names = "--seed", defaultValue = "42", description = "seed for data, shuffling and initialisation (default 42)")
    long seed;

    @Option(names = "--data-dir", description = "data directory (default: $CNNLAB_DATA or data/)")
    String dataDir;

    @Option(names = "--out", defaultValue = RunDirs.DEFAULT_OUT, description = "runs go to OUT/<experiment>/<run-id>/ (default training)")
    Path out;

    @Option(names = "--models", defaultValue = "models", description = "the best model is also copied to MODELS/<experiment>.zip (default models)")
    Path models;

    @Option(names = "--layers", defaultValue = "dl4j", description = "convolution/pooling layers: dl4j or custom (chapter 17's)")
    String layers;

    @Override
    public Integer call() {
        Experiment e = Experiments.get(experiment);
        Trainer.Options o = new Trainer.Options(e, epochs != null ? epochs : e.epochs(), batch != null ? batch : e.batch(),
                lr != null ? lr : e.learningRate(), seed, DataSources.dataDir(dataDir), out, models,
                LayerChoice.parse(layers), null);
        new Trainer(System.out).run(o);
        return 0;
    }
}
