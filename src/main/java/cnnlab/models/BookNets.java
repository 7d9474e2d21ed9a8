package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The two network shapes that chapter 18 reuses, so that each experiment's class only states its
 * numbers. Weight inits come from {@link NetSpec#init()}: by default the book framework's own
 * ({@link BookInit}: its "Xavier" and "MSRA" for convolution kernels scale with the kernel's size, not
 * its channels); biases start at zero. The book's
 * "Momentum" optimiser is classical momentum 0.9 ({@link BookMomentum}; DL4J's own {@code Nesterovs}
 * is a different rule); "SGD" maps to {@link Sgd}.
 */
public final class BookNets {
    private BookNets() {
    }

    /** The book's SGD optimiser. */
    public static IUpdater sgd(double lr) {
        return new Sgd(lr);
    }

    /** The book's Momentum optimiser (momentum 0.9). */
    public static IUpdater momentum(double lr) {
        return new BookMomentum(lr);
    }

    /** A list builder with the book's conventions: float32, seeded, one updater and init for all layers. */
    public static NeuralNetConfiguration.ListBuilder list(long seed, IUpdater updater, IWeightInit init) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updater)
                .weightInit(init)
                .list();
    }

    /**
     * The book's greyscale DNN (18.1.2, 18.2.2, 18.3.2): 784 inputs → FC 128 ReLU → FC 64 ReLU → softmax.
     */
    public static MultiLayerConfiguration dnn(NetSpec s, IUpdater updater) {
        return list(s.seed(), updater, s.init().msra())
                .layer(new DenseLayer.Builder().name("f1").nOut(128).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("f2").nOut(64).activation(Activation.RELU).build())
                .layer(softmax("f3", s.classes()))
                .setInputType(InputType.feedForward((long) s.height() * s.width()))
                .build();
    }

    /**
     * conv c1@k1×k1 (padding p1) → ReLU → max-pool 2 → conv c2@k2×k2 → ReLU → max-pool 2 → FC 32 → BN →
     * ReLU → softmax: the CNN of tables 18-1, 18-2 and 18-5.
     */
    public static MultiLayerConfiguration twoStageCnn(NetSpec s, int c1, int k1, int p1, int c2, int k2,
                                                      IUpdater updater, IWeightInit init) {
        LayerChoice l = s.layers();
        return list(s.seed(), updater, init)
                .layer(l.conv("c1", c1, k1, 1, p1))
                .layer(relu("relu1"))
                .layer(l.pool("p1", PoolingType.MAX, 2, 2))
                .layer(l.conv("c2", c2, k2, 1, 0))
                .layer(relu("relu2"))
                .layer(l.pool("p2", PoolingType.MAX, 2, 2))
                .layer(new DenseLayer.Builder().name("f3").nOut(32).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().name("bn3").build())
                .layer(relu("relu3"))
                .layer(softmax("f4", s.classes()))
                .setInputType(InputType.convolutional(s.height(), s.width(), s.channels()))
                .build();
    }

    public static ActivationLayer relu(String name) {
        return new ActivationLayer.Builder().activation(new BookRelu()).name(name).build();
    }

    /** Fully connected output layer with softmax and cross-entropy loss. */
    public static OutputLayer softmax(String name, int classes) {
        return new OutputLayer.Builder(LossFunction.MCXENT).name(name).nOut(classes)
                .activation(Activation.SOFTMAX).build();
    }
}
