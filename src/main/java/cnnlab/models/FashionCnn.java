package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * Fashion-MNIST CNN (18.5.3): 1×28×28 → conv 32@3×3 → ReLU → max-pool 2 → FC 128 → ReLU → FC 10 softmax;
 * Xavier init, Momentum lr 0.01, batch 128, 10 epochs → test 91.12% ({@code cnn_model()} in 18.5.3;
 * {@code checkpoint=0.1} in the book's {@code ch18-CNNModel/Level5_FashionMnist_CNN.py}). That script also has a
 * batch-norm layer between FC 128 and its ReLU, which the book's text does not: {@link #conf} follows the
 * text ({@code fashion-cnn}), {@link #scriptConf} the script ({@code fashion-cnn-bn}).
 */
public final class FashionCnn {
    /**
     * Trains {@code fashion-cnn} exactly as {@code cnnlab train fashion-cnn ARGS...}; a first argument
     * {@code fashion-cnn-bn} trains that experiment instead (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.FashionCnn -Dexec.args="fashion-cnn-bn --epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "fashion-cnn", "fashion-cnn-bn");
    }

    private FashionCnn() {
    }

    /** The network of the book's text. */
    public static MultiLayerConfiguration conf(NetSpec s) {
        return build(s, false);
    }

    /** The network of the book's script: a batch norm between FC 128 and its ReLU. */
    public static MultiLayerConfiguration scriptConf(NetSpec s) {
        return build(s, true);
    }

    private static MultiLayerConfiguration build(NetSpec s, boolean batchNorm) {
        BookNets.Table t = BookNets.cnn(s, BookNets.momentum(s.learningRate()), s.init().xavier())
                .conv("c1", 32, 3).relu("relu1").maxPool("p1")
                .fc("f3", 128);
        if (batchNorm) {
            t.batchNorm("bn3");
        }
        return t.relu("relu3")
                .softmax("f4");
    }
}
