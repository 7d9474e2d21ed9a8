package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * Colour DNN: greyscale 784 → FC 128 ReLU → FC 64 ReLU → 6-way softmax; MSRA init, SGD lr 0.01, batch 16, 100 epochs (book: 81.6%).
 *
 * <p>Book section 18.1.2 (see the README's section map).
 */
public final class ColorDnn {
    /**
     * Trains {@code color-dnn} exactly as {@code cnnlab train color-dnn ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.ColorDnn -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "color-dnn");
    }

    private ColorDnn() {
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        return BookNets.greyDnn(s, BookNets.sgd(s.learningRate()));
    }
}
