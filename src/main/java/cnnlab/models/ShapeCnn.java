package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * Shape CNN (table 18-2): grey 1×28×28 → conv 8@3×3 pad 1 → ReLU → max-pool 2 → conv 16@3×3 → ReLU → max-pool 2 → FC 32 → BN → ReLU → 5-way softmax; MSRA init, SGD lr 0.1, batch 16, 50 epochs (book: 93.5% last, 96.0% best).
 *
 * <p>Book section 18.2.3 (see the README's section map).
 */
public final class ShapeCnn {
    /**
     * Trains {@code shape-cnn} exactly as {@code cnnlab train shape-cnn ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.ShapeCnn -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "shape-cnn");
    }

    private ShapeCnn() {
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        return BookNets.cnn(s, BookNets.sgd(s.learningRate()), s.init().msra())
                .conv("c1", 8, 3, 1).relu("relu1").maxPool("p1")
                .conv("c2", 16, 3).relu("relu2").maxPool("p2")
                .fc("f3", 32).batchNorm("bn3").relu("relu3")
                .softmax("f4");
    }
}
