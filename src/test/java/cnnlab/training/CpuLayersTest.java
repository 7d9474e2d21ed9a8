package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link CpuPooling}, {@link CpuBatchNorm} and {@link CpuRelu} compute what DL4J's own pooling, batch-norm and ReLU
 * layers compute (ReLU to the bit):
 * forward output, gradient with respect to the input and, for batch norm, the gamma/beta gradients and the
 * batch statistics the layer keeps — for random geometries (kernel, stride, padding, every convolution mode,
 * max and average pooling with and without padding in the divisor, dense and convolutional batch norm), and
 * inside whole networks, a chain and a graph with a residual add, over several training steps.
 *
 * <p>Tolerance: 1e-5 of each array's largest magnitude (FLOAT; both sum in different orders; a wrong window,
 * divisor or formula is off by 1e-2 or more). Inputs are continuous random values, so no pooling window has a
 * tie (where DL4J and this class may send the gradient to different, equal maxima).
 */
class CpuLayersTest {
    static final double TOL = 1e-5;

    @BeforeAll
    static void cpuOnly() {
        Assumptions.assumeTrue(Backend.isCpu(), "the Java layers are attached on the CPU backend only");
    }

    @Test
    void poolingMatchesDl4jOnRandomGeometries() {
        Random r = new Random(17);
        ConvolutionMode[] modes = {ConvolutionMode.Truncate, ConvolutionMode.Same, ConvolutionMode.Strict};
        int checked = 0;
        for (int t = 0; t < 60; t++) {
            PoolingType type = r.nextBoolean() ? PoolingType.MAX : PoolingType.AVG;
            int kh = 1 + r.nextInt(4);
            int kw = 1 + r.nextInt(4);
            int sh = 1 + r.nextInt(3);
            int sw = 1 + r.nextInt(3);
            ConvolutionMode mode = modes[r.nextInt(modes.length)];
            int ph = mode == ConvolutionMode.Same ? 0 : r.nextInt(kh);
            int pw = mode == ConvolutionMode.Same ? 0 : r.nextInt(kw);
            int h = kh + r.nextInt(9);
            int w = kw + r.nextInt(9);
            if (mode == ConvolutionMode.Strict) { // Strict: the windows must tile the padded input exactly
                h = kh - 2 * ph + sh * (1 + r.nextInt(3));
                w = kw - 2 * pw + sw * (1 + r.nextInt(3));
                if (h < 1 || w < 1) {
                    continue;
                }
            }
            boolean padInDivisor = r.nextBoolean();
            SubsamplingLayer conf = new SubsamplingLayer.Builder(type).kernelSize(kh, kw).stride(sh, sw)
                    .padding(ph, pw).convolutionMode(mode).avgPoolIncludePadInDivisor(padInDivisor).build();
            String what = type + " k" + kh + "x" + kw + " s" + sh + "x" + sw + " p" + ph + "x" + pw + " " + mode
                    + " in " + h + "x" + w + (padInDivisor ? " pad-in-divisor" : "");
            int n = 1 + r.nextInt(3);
            int c = 1 + r.nextInt(4);
            Layer[] pair = pair(new NeuralNetConfiguration.Builder().list().layer(conf)
                    .setInputType(InputType.convolutional(h, w, c)).build());
            assertTrue(pair[1] instanceof CpuPooling, "replaced");
            INDArray x = Nd4j.rand(DataType.FLOAT, n, c, h, w).subi(0.5);
            compareLayer(what, pair[0], pair[1], x);
            checked++;
        }
        assertTrue(checked >= 45, "enough geometries checked: " + checked);
    }

    @Test
    void batchNormMatchesDl4jOnRandomShapes() {
        Random r = new Random(23);
        Nd4j.getRandom().setSeed(23); // the same arrays whatever ran before in this JVM
        for (int t = 0; t < 12; t++) {
            int n = 2 + r.nextInt(6);
            int c = 1 + r.nextInt(6);
            boolean dense = t % 4 == 3;
            boolean locked = t % 5 == 4 && !dense;
            int h = dense ? 1 : 1 + r.nextInt(7);
            int w = dense ? 1 : 1 + r.nextInt(7);
            BatchNormalization.Builder b = new BatchNormalization.Builder().eps(1e-5).decay(0.9);
            if (locked) {
                b.lockGammaBeta(true).gamma(1.5).beta(-0.25);
            }
            InputType in = dense ? InputType.feedForward(c) : InputType.convolutional(h, w, c);
            Layer[] pair = pair(new NeuralNetConfiguration.Builder().list().layer(b.build()).setInputType(in).build());
            assertTrue(pair[1].getHelper() instanceof CpuBatchNorm, "helper attached");
            // Random gamma/beta so that the scale really enters (DL4J initialises them to 1 and 0).
            if (!locked) {
                INDArray p = Nd4j.rand(DataType.FLOAT, pair[0].params().shape()).addi(0.5);
                pair[0].setParams(p.dup());
                pair[1].setParams(p.dup());
            }
            INDArray x = dense ? Nd4j.randn(DataType.FLOAT, n, c) : Nd4j.randn(DataType.FLOAT, n, c, h, w);
            x.muli(2).addi(0.7);
            String what = (dense ? "dense" : "conv") + " bn n" + n + " c" + c + " " + h + "x" + w
                    + (locked ? " locked" : "");
            compareLayer(what, pair[0], pair[1], x);
            // inference uses the running statistics
            INDArray mean = Nd4j.rand(DataType.FLOAT, 1, c);
            INDArray var = Nd4j.rand(DataType.FLOAT, 1, c).addi(0.1);
            for (Layer l : pair) { // DL4J keeps log10 of the standard deviation by default
                l.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).assign(mean);
                INDArray logStd = l.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
                if (logStd != null) {
                    logStd.assign(org.nd4j.linalg.ops.transforms.Transforms.log(var, 10).muli(0.5));
                } else {
                    l.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).assign(var);
                }
            }
            LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
            pair[0].setInput(x, ws);
            pair[1].setInput(x, ws);
            assertClose(what + " inference", pair[0].activate(false, ws), pair[1].activate(false, ws));
        }
    }

    @Test
    void reluMatchesDl4jToTheBit() {
        Nd4j.getRandom().setSeed(29);
        long[][] shapes = {{3, 4, 7, 5}, {2, 1, 24, 24}, {5, 33}, {128, 9000}};
        org.nd4j.linalg.activations.IActivation[] kinds = {new org.nd4j.linalg.activations.impl.ActivationReLU(),
            new cnnlab.models.BookRelu()};
        for (org.nd4j.linalg.activations.IActivation kind : kinds) {
            for (long[] shape : shapes) {
                InputType in = shape.length == 4 ? InputType.convolutional(shape[2], shape[3], shape[1])
                        : InputType.feedForward(shape[1]);
                Layer[] pair = pair(new NeuralNetConfiguration.Builder().list()
                        .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder().activation(kind).build())
                        .setInputType(in).build());
                assertTrue(pair[1] instanceof CpuRelu, "replaced");
                String what = kind + " " + java.util.Arrays.toString(shape);
                INDArray x = Nd4j.randn(DataType.FLOAT, shape);
                x.putScalar(0, 0f); // exactly 0: no gradient, as in DL4J
                LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
                for (boolean training : new boolean[] {true, false}) {
                    pair[0].setInput(x.dup(), ws);
                    pair[1].setInput(x.dup(), ws);
                    assertEquals(pair[0].activate(training, ws), pair[1].activate(training, ws), what + " output");
                }
                INDArray eps = Nd4j.randn(DataType.FLOAT, shape);
                INDArray d0 = pair[0].backpropGradient(eps.dup(), ws).getSecond();
                INDArray d1 = pair[1].backpropGradient(eps.dup(), ws).getSecond();
                assertEquals(d0, d1, what + " input gradient");
                assertEquals(0f, d1.getFloat(0), what + ": no gradient where the input is 0");
            }
        }
        Layer[] leaky = pair(new NeuralNetConfiguration.Builder().list()
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer(
                        new org.nd4j.linalg.activations.impl.ActivationReLU(6.0, 0.0, 0.0)))
                .setInputType(InputType.feedForward(4)).build());
        assertFalse(leaky[1] instanceof CpuRelu, "a capped ReLU stays DL4J's");
    }

    @Test
    void chainAndGraphTrainTheSameWithAndWithout() {
        // A chain: conv -> BN -> ReLU -> max-pool -> conv -> avg-pool -> dense BN -> output.
        MultiLayerConfiguration chain = new NeuralNetConfiguration.Builder().seed(5).updater(new Sgd(0.05)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer(Activation.RELU))
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(5).activation(Activation.TANH).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(1, 1).build())
                .layer(new DenseLayer.Builder().nOut(7).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(13, 13, 2)).build();
        MultiLayerNetwork plain = new MultiLayerNetwork(chain.clone());
        plain.init();
        MultiLayerNetwork fast = (MultiLayerNetwork) Net.build(chain.clone()).model();
        fast.setParams(plain.params().dup());
        assertTrue(fast.getLayer(3) instanceof CpuPooling && fast.getLayer(5) instanceof CpuPooling);
        assertSame(fast.getLayer(3), fast.getLayer(fast.getLayerNames().get(3)), "name index updated");
        DataSet ds = data(8, 2, 13, 4);
        for (int s = 0; s < 4; s++) {
            plain.fit(ds);
            fast.fit(ds);
        }
        assertClose("chain parameters after 4 steps", plain.params(), fast.params());
        assertClose("chain output", plain.output(ds.getFeatures()), fast.output(ds.getFeatures()));

        // A graph: conv -> BN -> ReLU, a residual add, max-pool, global average pool, output.
        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder().seed(6).updater(new Sgd(0.05))
                .graphBuilder().addInputs("in")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("b1", new BatchNormalization.Builder().build(), "c1")
                .addLayer("r1", new org.deeplearning4j.nn.conf.layers.ActivationLayer(Activation.RELU), "b1")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "r1")
                .addLayer("b2", new BatchNormalization.Builder().build(), "c2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b2", "r1")
                .addLayer("p", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).build(), "add")
                .addLayer("g", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "p")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "g")
                .setOutputs("out").setInputTypes(InputType.convolutional(9, 9, 3)).build();
        ComputationGraph gPlain = new ComputationGraph(graph.clone());
        gPlain.init();
        ComputationGraph gFast = (ComputationGraph) Net.build(graph.clone()).model();
        gFast.setParams(gPlain.params().dup());
        assertTrue(gFast.getLayer("p") instanceof CpuPooling, "graph vertex now holds the Java pooling layer");
        DataSet gds = data(6, 3, 9, 3);
        for (int s = 0; s < 4; s++) {
            gPlain.fit(gds);
            gFast.fit(gds);
        }
        assertClose("graph parameters after 4 steps", gPlain.params(), gFast.params());
    }

    private static DataSet data(int n, int c, int side, int classes) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, c, side, side);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1f);
        }
        return new DataSet(x, y);
    }

    /** Layer 0 of two copies of a one-layer network: DL4J's own, and the one {@link OneDnnHelpers} changed. */
    private static Layer[] pair(MultiLayerConfiguration conf) {
        MultiLayerNetwork plain = new MultiLayerNetwork(conf.clone());
        plain.init();
        plain.initGradientsView();
        MultiLayerNetwork fast = new MultiLayerNetwork(conf.clone());
        fast.init();
        fast.initGradientsView();
        OneDnnHelpers.attach(fast);
        return new Layer[] {plain.getLayer(0), fast.getLayer(0)};
    }

    private static void compareLayer(String what, Layer plain, Layer fast, INDArray x) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        plain.setInput(x.dup(), ws);
        fast.setInput(x.dup(), ws);
        INDArray y0 = plain.activate(true, ws);
        INDArray y1 = fast.activate(true, ws);
        assertEquals(java.util.Arrays.toString(y0.shape()), java.util.Arrays.toString(y1.shape()), what + " shape");
        assertClose(what + " output", y0, y1);
        INDArray eps = Nd4j.randn(DataType.FLOAT, y0.shape());
        Pair<Gradient, INDArray> g0 = plain.backpropGradient(eps.dup(), ws);
        Pair<Gradient, INDArray> g1 = fast.backpropGradient(eps.dup(), ws);
        assertClose(what + " input gradient", g0.getSecond(), g1.getSecond());
        for (String k : g0.getFirst().gradientForVariable().keySet()) {
            if (k.equals("gamma") || k.equals("beta")) {
                // sums over batch and positions: their rounding error scales with the summed magnitude,
                // Σ|ε| (x̂ is about 1), not with the result, which may cancel to near 0
                int[] dims = x.rank() == 2 ? new int[] {0} : new int[] {0, 2, 3};
                double summed = Transforms.abs(eps, true).sum(dims).amaxNumber().doubleValue();
                assertClose(what + " " + k + " gradient", g0.getFirst().getGradientFor(k),
                        g1.getFirst().getGradientFor(k), summed);
            }
        }
        if (plain.getHelper() == null && fast.getHelper() instanceof CpuBatchNorm h) {
            // the batch statistics the layer uses to update its running mean and variance
            int c = (int) x.size(1);
            int[] dims = x.rank() == 2 ? new int[] {0} : new int[] {0, 2, 3};
            assertTrue(h.getMeanCache(DataType.FLOAT) != null, what + ": the helper ran");
            assertClose(what + " batch mean", x.mean(dims).reshape(c), h.getMeanCache(DataType.FLOAT).reshape(c));
            assertClose(what + " batch variance", x.var(false, dims).reshape(c),
                    h.getVarCache(DataType.FLOAT).reshape(c));
        }
    }

    static void assertClose(String what, INDArray expected, INDArray actual) {
        assertClose(what, expected, actual, 0);
    }

    /** Within {@code TOL} times the larger of the expected array's largest magnitude and {@code floor}. */
    static void assertClose(String what, INDArray expected, INDArray actual, double floor) {
        double scale = Math.max(Math.max(expected.amaxNumber().doubleValue(), floor), 1e-12);
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= TOL * scale, what + ": max |difference| " + diff + " > " + TOL + " x max |value| " + scale);
    }
}
