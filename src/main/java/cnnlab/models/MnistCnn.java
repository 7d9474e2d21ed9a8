package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * MNIST CNN (18.4, table 18-5, figure 18-32): 1×28×28 → conv 8@5×5 → ReLU → max-pool 2 → conv 16@5×5 →
 * ReLU → max-pool 2 → FC 32 → BN → ReLU → FC 10 → softmax; Xavier init, Momentum lr 0.1, batch 128,
 * 5 epochs, {@code checkpoint=0.05} (book code 18.4.2) → test 98.65% (18.4.3, 513 s on the author's CPU).
 * Table 18-5 gives the second convolution 400+16 parameters; with 8 input channels it has
 * 8·16·25+16 = 3216.
 */
public final class MnistCnn {
    /**
     * Trains {@code mnist-cnn} exactly as {@code cnnlab train mnist-cnn ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.MnistCnn -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "mnist-cnn");
    }

    private MnistCnn() {
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        return BookNets.cnn(s, BookNets.momentum(s.learningRate()), s.init().xavier())
                .conv("c1", 8, 5).relu("relu1").maxPool("p1")
                .conv("c2", 16, 5).relu("relu2").maxPool("p2")
                .fc("f3", 32).batchNorm("bn3").relu("relu3")
                .softmax("f4");
    }
}
