package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * Shape DNN: greyscale 784 → FC 128 ReLU → FC 64 ReLU → 5-way softmax; MSRA init, SGD lr 0.1, batch 16, 50 epochs (book: 89.8%).
 *
 * <p>Book section 18.2.2 (see the README's section map).
 */
public final class ShapeDnn {
    /**
     * Trains {@code shape-dnn} exactly as {@code cnnlab train shape-dnn ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.ShapeDnn -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "shape-dnn");
    }

    private ShapeDnn() {
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        return BookNets.greyDnn(s, BookNets.sgd(s.learningRate()));
    }
}
