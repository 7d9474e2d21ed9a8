package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * Shape-and-colour CNN: RGB 3×28×28 → conv 8@3×3 pad 1 → ReLU → max-pool 2 → conv 16@3×3 → ReLU → max-pool 2 → FC 32 → BN → ReLU → 9-way softmax; MSRA init, SGD lr 0.1, batch 16, 20 epochs (book: 97.0%).
 *
 * <p>Book section 18.3.3 (see the README's section map).
 */
public final class ShapeColorCnn {
    /**
     * Trains {@code shape-color-cnn} exactly as {@code cnnlab train shape-color-cnn ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.ShapeColorCnn -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "shape-color-cnn");
    }

    private ShapeColorCnn() {
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        return BookNets.cnn(s, BookNets.sgd(s.learningRate()), s.init().msra())
                .conv("c1", 8, 3, 1).relu("relu1").maxPool("p1")
                .conv("c2", 16, 3).relu("relu2").maxPool("p2")
                .fc("f3", 32).batchNorm("bn3").relu("relu3")
                .softmax("f4");
    }
}
