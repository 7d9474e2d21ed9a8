package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * Fashion-MNIST DNN (18.5.2): 784 → FC 128 → BN → ReLU → FC 64 → BN → ReLU → FC 10 softmax; MSRA init,
 * Momentum lr 0.1, batch 128, 10 epochs ({@code dnn_model()} in 18.5.2; {@code checkpoint=0.1} in the
 * book's {@code Level5_FashionMnist_DNN.py}). The book shows the curves (figure 18-37) and a
 * prediction grid (figure 18-38) but states no test accuracy.
 */
public final class FashionDnn {
    /**
     * Trains {@code fashion-dnn} exactly as {@code cnnlab train fashion-dnn ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.FashionDnn -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "fashion-dnn");
    }

    private FashionDnn() {
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        return BookNets.dnn(s, BookNets.momentum(s.learningRate()), s.init().msra())
                .fc("f1", 128).batchNorm("bn1").relu("relu1")
                .fc("f2", 64).batchNorm("bn2").relu("relu2")
                .softmax("f3");
    }
}
