package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * Fashion-MNIST CNN (18.5.3): 1×28×28 → conv 32@3×3 → ReLU → max-pool 2 → FC 128 → ReLU → FC 10 softmax;
 * Xavier init, Momentum lr 0.01, batch 128, 10 epochs → test 91.12% ({@code cnn_model()} in 18.5.3;
 * {@code checkpoint=0.1} in the book's {@code Level5_2_FashionMnist_CNN.py}). That script also has a
 * batch-norm layer between FC 128 and its ReLU; the book's text does not, and this class follows the text.
 */
public final class FashionCnn {
    private FashionCnn() {
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        LayerChoice l = s.layers();
        return BookNets.list(s.seed(), BookNets.momentum(s.learningRate()), WeightInit.XAVIER_UNIFORM)
                .layer(l.conv("c1", 32, 3, 1, 0))
                .layer(BookNets.relu("relu1"))
                .layer(l.pool("p1", PoolingType.MAX, 2, 2))
                .layer(new DenseLayer.Builder().name("f3").nOut(128).activation(Activation.IDENTITY).build())
                .layer(BookNets.relu("relu3"))
                .layer(BookNets.softmax("f4", s.classes()))
                .setInputType(InputType.convolutional(s.height(), s.width(), s.channels()))
                .build();
    }
}
