package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The chapter-18 networks written as the book's tables: {@link #cnn} or {@link #dnn} starts a {@link Table},
 * each call adds one named layer in the table's order, {@link Table#softmax} ends it. Weight inits come from
 * {@link NetSpec#init()}: by default the book framework's own ({@link BookInit}: its "Xavier" and "MSRA" for
 * convolution kernels scale with the kernel's size, not its channels); biases start at zero. The book's
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

    /** A table of layers over the spec's {@code C×H×W} images (convolution and pooling from {@link NetSpec#layers()}). */
    public static Table cnn(NetSpec s, IUpdater updater, IWeightInit init) {
        return new Table(s, updater, init, InputType.convolutional(s.height(), s.width(), s.channels()));
    }

    /** A table of fully connected layers over the spec's {@code H·W} grey pixels as one vector. */
    public static Table dnn(NetSpec s, IUpdater updater, IWeightInit init) {
        return new Table(s, updater, init, InputType.feedForward((long) s.height() * s.width()));
    }

    /**
     * The book's greyscale DNN (18.1.2, 18.2.2, 18.3.2): 784 inputs → FC 128 ReLU → FC 64 ReLU → softmax, MSRA init.
     */
    public static MultiLayerConfiguration greyDnn(NetSpec s, IUpdater updater) {
        return dnn(s, updater, s.init().msra())
                .fc("f1", 128, Activation.RELU)
                .fc("f2", 64, Activation.RELU)
                .softmax("f3");
    }

    /**
     * One network, layer by layer, with the book's conventions: float32, seeded with {@link NetSpec#seed()}, one
     * updater and weight init for every layer; convolutions and fully connected layers without activation when
     * the book draws the ReLU as a layer of its own (its {@code Relu} class: {@link BookRelu}).
     */
    public static final class Table {
        private final NetSpec spec;
        private final NeuralNetConfiguration.ListBuilder list;
        private final InputType input;

        private Table(NetSpec spec, IUpdater updater, IWeightInit init, InputType input) {
            this.spec = spec;
            this.input = input;
            this.list = new NeuralNetConfiguration.Builder()
                    .seed(spec.seed())
                    .dataType(DataType.FLOAT)
                    .updater(updater)
                    .weightInit(init)
                    .list();
        }

        /** Convolution {@code filters@kernel×kernel}, stride 1, no padding. */
        public Table conv(String name, int filters, int kernel) {
            return conv(name, filters, kernel, 0);
        }

        /** Convolution {@code filters@kernel×kernel}, stride 1, {@code padding} zeros on each side (1 for 3×3: 'same'). */
        public Table conv(String name, int filters, int kernel, int padding) {
            list.layer(spec.layers().conv(name, filters, kernel, 1, padding));
            return this;
        }

        /** ReLU as a layer of its own. */
        public Table relu(String name) {
            list.layer(new ActivationLayer.Builder().activation(new BookRelu()).name(name).build());
            return this;
        }

        /** Max pooling 2×2, stride 2. */
        public Table maxPool(String name) {
            list.layer(spec.layers().pool(name, PoolingType.MAX, 2, 2));
            return this;
        }

        /** Fully connected, no activation (a batch norm or a ReLU layer follows). */
        public Table fc(String name, int units) {
            return fc(name, units, Activation.IDENTITY);
        }

        /** Fully connected with its activation. */
        public Table fc(String name, int units, Activation activation) {
            list.layer(new DenseLayer.Builder().name(name).nOut(units).activation(activation).build());
            return this;
        }

        public Table batchNorm(String name) {
            list.layer(new BatchNormalization.Builder().name(name).build());
            return this;
        }

        /**
         * Dropout of a fraction {@code rate} (Keras' {@code Dropout(rate)}); DL4J's {@link DropoutLayer} takes the
         * retain probability {@code 1 - rate}.
         */
        public Table dropout(String name, double rate) {
            list.layer(new DropoutLayer.Builder(1 - rate).name(name).build());
            return this;
        }

        /** Ends the table: fully connected to the spec's classes, softmax, cross-entropy loss. */
        public MultiLayerConfiguration softmax(String name) {
            return list.layer(new OutputLayer.Builder(LossFunction.MCXENT).name(name).nOut(spec.classes())
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(input)
                    .build();
        }
    }
}
