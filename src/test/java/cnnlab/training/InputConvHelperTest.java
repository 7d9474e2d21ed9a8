package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetConf;
import cnnlab.models.NetSpec;
import java.util.Random;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link InputConvHelper} (dW and dB only, for input-fed convolutions) gives the weight and bias gradients
 * of the full {@code conv2d_bp} on oneDNN, for strides, paddings, rectangular kernels and output sizes
 * that floor; it marks the input gradient it does not compute as NaN (stride 1; larger strides fall back
 * to {@code conv2d_bp}); and {@link OneDnnHelpers} attaches
 * it to exactly the input-fed convolutions of chains and graphs. Training results with it are covered by
 * {@link OneDnnHelpersTest} (mnist-cnn and cifar10-cnn against DL4J's own layers).
 */
class InputConvHelperTest {

    @BeforeAll
    static void oneDnnOnly() {
        Assumptions.assumeTrue(Backend.isCpu() && OneDnnHelpers.available(), "oneDNN helpers: CPU backend only");
    }

    @Test
    void sameWeightAndBiasGradientsAsConv2dBp() {
        Random r = new Random(5);
        for (int t = 0; t < 40; t++) {
            int n = 1 + r.nextInt(4);
            int c = 1 + r.nextInt(3);
            int o = 1 + r.nextInt(5);
            int kh = 1 + r.nextInt(5);
            int kw = 1 + r.nextInt(5);
            int s = 1 + r.nextInt(3);
            int p = r.nextInt(3);
            int h = Math.max(kh, kw) + r.nextInt(9);
            int w = Math.max(kh, kw) + r.nextInt(9);
            int oh = (h + 2 * p - kh) / s + 1;
            int ow = (w + 2 * p - kw) / s + 1;
            String what = String.format("n%d c%d o%d k%dx%d s%d p%d in %dx%d", n, c, o, kh, kw, s, p, h, w);
            Nd4j.getRandom().setSeed(t);
            INDArray x = Nd4j.randn(DataType.FLOAT, n, c, h, w);
            INDArray wt = Nd4j.randn(DataType.FLOAT, o, c, kh, kw);
            INDArray b = Nd4j.randn(DataType.FLOAT, 1, o);
            INDArray delta = Nd4j.randn(DataType.FLOAT, n, o, oh, ow);

            INDArray dwFull = Nd4j.create(DataType.FLOAT, o, c, kh, kw);
            INDArray dbFull = Nd4j.create(DataType.FLOAT, 1, o);
            INDArray dx = backprop(new MKLDNNConvHelper(DataType.FLOAT), x, wt, b, delta, kh, kw, s, p, dbFull, dwFull);
            INDArray dw = Nd4j.create(DataType.FLOAT, o, c, kh, kw);
            INDArray db = Nd4j.create(DataType.FLOAT, 1, o);
            INDArray eps = backprop(new InputConvHelper(DataType.FLOAT, null), x, wt, b, delta, kh, kw, s, p, db, dw);

            OneDnnHelpersTest.assertClose("dW " + what, dwFull, dw);
            OneDnnHelpersTest.assertClose("dB " + what, dbFull, db);
            assertTrue(dwFull.amaxNumber().doubleValue() > 0, "non-trivial case " + what);
            assertEquals(dx.length(), eps.length(), "input gradient shape " + what);
            if (s == 1) {
                assertTrue(Double.isNaN(eps.getDouble(0)) && Double.isNaN(eps.getDouble(eps.length() - 1)),
                        "the skipped input gradient is NaN, not a plausible value: " + what);
            } else {
                OneDnnHelpersTest.assertClose("stride > 1 falls back to conv2d_bp: dx " + what, dx, eps);
            }
        }
    }

    private static INDArray backprop(MKLDNNConvHelper helper, INDArray x, INDArray w, INDArray b, INDArray delta,
            int kh, int kw, int s, int p, INDArray db, INDArray dw) {
        return helper.backpropGradient(x, w, b, delta, new int[] {kh, kw}, new int[] {s, s}, new int[] {p, p}, db,
                dw, new ActivationIdentity(), AlgoMode.PREFER_FASTEST, null, null, ConvolutionMode.Truncate,
                new int[] {1, 1}, CNN2DFormat.NCHW, LayerWorkspaceMgr.noWorkspaces()).getSecond();
    }

    private static NetConf network(String experiment, int channels, int side) {
        Experiment e = Experiments.get(experiment);
        return e.network().apply(new NetSpec(channels, side, side, 10, e.learningRate(), 1, LayerChoice.DL4J));
    }

    @Test
    void attachedToInputFedConvolutionsOnly() {
        Net chain = Net.build(network("mnist-cnn", 1, 28));
        int first = 0;
        int other = 0;
        for (Layer l : ((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) chain.model()).getLayers()) {
            first += l.getHelper() instanceof InputConvHelper ? 1 : 0;
            other += l.getHelper() != null && l.getHelper().getClass() == ConvHelper.class ? 1 : 0;
        }
        assertEquals("1 1", first + " " + other, "mnist-cnn: c1 input-fed, c2 full");

        ComputationGraph g = (ComputationGraph) Net.build(network("resnet18-cifar10", 3, 32)).model();
        int graphFirst = 0;
        int graphOther = 0;
        for (Layer l : g.getLayers()) {
            graphFirst += l.getHelper() instanceof InputConvHelper ? 1 : 0;
            graphOther += l.getHelper() != null && l.getHelper().getClass() == ConvHelper.class ? 1 : 0;
        }
        assertEquals(1, graphFirst, "resnet18: only the stem convolution reads the input");
        assertTrue(graphOther >= 19, "resnet18: the other convolutions keep the full helper, got " + graphOther);
    }
}
