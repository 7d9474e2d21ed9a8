package cnnlab.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Finite differences: DL4J's {@link GradientCheckUtil} on conv → pool → conv → dense → softmax built
 * from the custom layers, in double precision, for both implementations, both pooling types and several
 * strides and paddings. Every parameter array is checked on up to 24 of its entries (all of both
 * convolutions' kernels and biases; a sample of the dense weights) to keep the test fast.
 */
class GradientCheckTest {

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        int[][] strideAndPad = {{1, 0}, {2, 1}, {1, 2}};
        for (Impl impl : Impl.values()) {
            for (PoolingType pool : new PoolingType[] {PoolingType.MAX, PoolingType.AVG}) {
                for (int[] sp : strideAndPad) {
                    a.add(Arguments.of(impl, pool, sp[0], sp[1]));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1} stride {2} pad {3}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Impl impl, PoolingType pool, int stride, int pad) {
        Nd4j.getRandom().setSeed(12345);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(12345)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(new CustomConvolution.Builder(3, 2).stride(stride, stride).padding(pad, pad).nOut(2)
                        .activation(Activation.TANH).impl(impl).build())
                .layer(new CustomPooling.Builder(pool, 2, 2).stride(stride, 1).impl(impl).build())
                .layer(new CustomConvolution.Builder(2, 2).stride(1, 1).nOut(2).activation(Activation.TANH)
                        .impl(impl).build())
                .layer(new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(7, 6, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 7, 6);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 3, 3);
        for (int i = 0; i < 3; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                .labels(labels).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .subset(true).maxPerParam(24)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
        assertTrue(ok, "gradient check failed for " + impl + " " + pool + " stride " + stride + " pad " + pad);
    }
}
