package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * Shape-and-colour DNN: greyscale 784 → FC 128 ReLU → FC 64 ReLU → 9-way softmax; MSRA init, Momentum lr 0.01, batch 16, 50 epochs (book: 90.1%).
 *
 * <p>Book section 18.3.2 (see the README's section map).
 */
public final class ShapeColorDnn {
    /**
     * Trains {@code shape-color-dnn} exactly as {@code cnnlab train shape-color-dnn ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.ShapeColorDnn -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "shape-color-dnn");
    }

    private ShapeColorDnn() {
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        return BookNets.greyDnn(s, BookNets.momentum(s.learningRate()));
    }
}
