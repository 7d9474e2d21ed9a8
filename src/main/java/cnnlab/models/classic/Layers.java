package cnnlab.models.classic;

import cnnlab.models.NetConf;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** Layer factories shared by the classic networks (all layers named; convolution modes truncate). */
final class Layers {
    private Layers() {
    }

    /** The global settings every classic net shares: float32, seeded, He (MSRA) init, one updater. */
    static NeuralNetConfiguration.Builder base(ClassicNet<?> n) {
        return new NeuralNetConfiguration.Builder()
                .seed(n.seed)
                .dataType(DataType.FLOAT)
                .updater(n.updater)
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate);
    }

    /**
     * Returns {@code conf} after checking, by DL4J's shape inference, that every layer of it has a non-empty
     * output for the net's input.
     *
     * @throws IllegalArgumentException naming the first layer whose output would be empty
     */
    static NetConf.Chain checked(ClassicNet<?> n, MultiLayerConfiguration conf) {
        return checked(n, NetConf.of(conf));
    }

    static NetConf.Graph checked(ClassicNet<?> n, ComputationGraphConfiguration conf) {
        return checked(n, NetConf.of(conf));
    }

    private static <C extends NetConf> C checked(ClassicNet<?> n, C conf) {
        try {
            cnnlab.models.NetSummary.of(conf, org.deeplearning4j.nn.conf.inputs.InputType.convolutional(
                    n.height, n.width, n.channels));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(n.getClass().getSimpleName() + " cannot take " + n.channels + "x"
                    + n.height + "x" + n.width + " input: " + e.getMessage(), e);
        }
        return conf;
    }

    /** Square convolution {@code k×k}, stride s, padding p, with the given activation. */
    static ConvolutionLayer conv(String name, int nOut, int k, int s, int p, Activation act, boolean bias) {
        return new ConvolutionLayer.Builder(k, k).stride(s, s).padding(p, p).nOut(nOut).activation(act)
                .hasBias(bias).name(name).build();
    }

    static BatchNormalization bn(String name) {
        return new BatchNormalization.Builder().name(name).build();
    }

    /** A ReLU layer; {@link cnnlab.models.BookRelu} is DL4J's ReLU without a new array per backward pass. */
    static ActivationLayer relu(String name) {
        return new ActivationLayer.Builder().activation(new cnnlab.models.BookRelu()).name(name).build();
    }

    static SubsamplingLayer pool(String name, PoolingType type, int k, int s, int p) {
        return new SubsamplingLayer.Builder(type).kernelSize(k, k).stride(s, s).padding(p, p).name(name).build();
    }

    /** AlexNet's local response normalisation: k = 2, n = 5, alpha = 1e-4, beta = 0.75. */
    static LocalResponseNormalization lrn(String name) {
        return new LocalResponseNormalization.Builder(2, 5, 1e-4, 0.75).name(name).build();
    }

    static DenseLayer dense(String name, int nOut, Activation act) {
        return new DenseLayer.Builder().nOut(nOut).activation(act).name(name).build();
    }

    static DropoutLayer dropout(String name, double dropProbability) {
        return new DropoutLayer.Builder(1 - dropProbability).name(name).build(); // DL4J takes the retain probability
    }

    static GlobalPoolingLayer globalAvg(String name) {
        return new GlobalPoolingLayer.Builder(PoolingType.AVG).name(name).build();
    }

    static OutputLayer softmax(String name, int classes) {
        return softmax(name, classes, new LossMCXENT());
    }

    static OutputLayer softmax(String name, int classes, ILossFunction loss) {
        return new OutputLayer.Builder(loss).nOut(classes).activation(Activation.SOFTMAX).name(name).build();
    }

    /**
     * Adds {@code conv → [BN] → ReLU} to a graph: with batch norm the convolution has no bias (the BN
     * shift replaces it) and the ReLU is its own vertex; without, the ReLU is the convolution's activation.
     *
     * @return the name of the last vertex
     */
    static String convUnit(GraphBuilder g, String name, String input, int nOut, int k, int s, int p, boolean bn) {
        if (!bn) {
            g.addLayer(name, conv(name, nOut, k, s, p, Activation.RELU, true), input);
            return name;
        }
        g.addLayer(name, conv(name, nOut, k, s, p, Activation.IDENTITY, false), input);
        g.addLayer(name + "_bn", bn(name + "_bn"), name);
        g.addLayer(name + "_relu", relu(name + "_relu"), name + "_bn");
        return name + "_relu";
    }
}
