package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;

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
        return BookNets.list(s.seed(), BookNets.momentum(s.learningRate()), s.init().msra())
                .layer(new DenseLayer.Builder().name("f1").nOut(128).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().name("bn1").build())
                .layer(BookNets.relu("relu1"))
                .layer(new DenseLayer.Builder().name("f2").nOut(64).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().name("bn2").build())
                .layer(BookNets.relu("relu2"))
                .layer(BookNets.softmax("f3", s.classes()))
                .setInputType(InputType.feedForward((long) s.height() * s.width()))
                .build();
    }
}
