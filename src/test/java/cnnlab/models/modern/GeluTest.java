package cnnlab.models.modern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The exact GELU: float kernels against a double reference, derivative against differences, JSON, in a net. */
class GeluTest {

    /** The exact GELU in double, with {@link Gelu#erf(double)} (checked against tabulated values below). */
    private static double gelu(double x) {
        return 0.5 * x * (1 + Gelu.erf(x / Math.sqrt(2)));
    }

    @Test
    void doubleErfMatchesKnownValues() {
        assertEquals(0.8427007929497149, Gelu.erf(1.0), 1e-14); // erf(1), Abramowitz and Stegun table 7.1
        assertEquals(0.9953222650189527, Gelu.erf(2.0), 1e-14);
        assertEquals(0.9999779095030014, Gelu.erf(3.0), 1e-14);
        assertEquals(-0.9999999845827421, Gelu.erf(-4.0), 1e-14);
        assertEquals(0.0, Gelu.erf(0.0), 0);
    }

    @Test
    void floatKernelsAgreeWithDoubleReference() {
        int n = 24_001;
        float[] a = new float[n], g = new float[n], s = new float[n], b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = -12f + 24f * i / (n - 1);
            b[i] = a[i];
            g[i] = 1f;
        }
        Gelu.forward(a, n);
        Gelu.backward(b, g, s, n);
        double worst = 0, worstD = 0;
        for (int i = 0; i < n; i++) {
            double x = -12f + 24f * i / (n - 1);
            double y = gelu(x);
            double d = 0.5 * (1 + Gelu.erf(x / Math.sqrt(2))) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            worst = Math.max(worst, Math.abs(a[i] - y) / Math.max(1, Math.abs(y)));
            worstD = Math.max(worstD, Math.abs(b[i] - d));
        }
        assertTrue(worst < 2e-6, "forward relative error " + worst);
        assertTrue(worstD < 1e-6, "derivative error " + worstD);
        // and it is GELU, not the tanh or sigmoid approximation (those differ by more than 1e-4 near |x| = 2)
        float[] two = {2f, -2f};
        Gelu.forward(two, 2);
        assertEquals(1.9544997361, two[0], 2e-6);
        assertEquals(-0.0455002639, two[1], 2e-6);
    }

    @Test
    void derivativeMatchesFiniteDifferences() {
        for (double x = -5; x <= 5; x += 0.37) {
            double h = 1e-5, fd = (gelu(x + h) - gelu(x - h)) / (2 * h);
            INDArray in = Nd4j.create(new double[] {x}, new long[] {1, 1}, DataType.DOUBLE);
            INDArray eps = Nd4j.ones(DataType.DOUBLE, 1, 1);
            double d = new Gelu().backprop(in, eps).getFirst().getDouble(0);
            assertEquals(fd, d, 1e-8, "x = " + x);
            INDArray f = Nd4j.create(new float[] {(float) x}, new long[] {1, 1});
            assertEquals(fd, new Gelu().backprop(f, Nd4j.ones(DataType.FLOAT, 1, 1)).getFirst().getDouble(0), 1e-6);
        }
    }

    @Test
    void arraysOfAnyLayoutAndLengthAreComputedInPlace() {
        Nd4j.getRandom().setSeed(3);
        INDArray big = Nd4j.randn(DataType.FLOAT, 3, 5, 41, 37).muli(3); // several threads' worth, odd length
        INDArray expect = big.dup();
        float[] e = expect.data().asFloat();
        Gelu.forward(e, e.length);
        INDArray out = new Gelu().getActivation(big, true);
        assertTrue(out == big, "activations are computed in place");
        assertEquals(0, Nd4j.create(e, big.shape(), 'c').sub(out).amaxNumber().doubleValue(), 0);
        // a non-contiguous view: only its elements change
        INDArray m = Nd4j.linspace(-3, 3, 20, DataType.FLOAT).reshape(4, 5);
        INDArray before = m.dup();
        INDArray col = m.get(NDArrayIndex.all(), NDArrayIndex.point(2));
        new Gelu().getActivation(col, true);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 5; c++) {
                double x = before.getDouble(r, c);
                assertEquals(c == 2 ? gelu(x) : x, m.getDouble(r, c), 2e-6);
            }
        }
    }

    @Test
    void aNetworkWithGeluPassesAGradientCheckAndSurvivesJson() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                    .updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                    .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(new Gelu()).build())
                    .layer(new ActivationLayer.Builder().activation(new Gelu()).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                            .activation(Activation.SOFTMAX).build())
                    .build();
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
            assertEquals(conf, back);
            MultiLayerNetwork net = new MultiLayerNetwork(back);
            net.init();
            Nd4j.getRandom().setSeed(9);
            INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 4);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, 5, 3);
            for (int i = 0; i < 5; i++) {
                y.putScalar(i, i % 3, 1);
            }
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)));
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }
}
