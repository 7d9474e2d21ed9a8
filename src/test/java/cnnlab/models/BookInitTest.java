package cnnlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.training.Net;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The book framework's weight scales, checked on freshly built networks (not only on the formula). */
class BookInitTest {

    @Test
    void scalesFollowTheBooksCode() {
        // conv [out, in, kh, kw]: the kernel's height and width stand for "inputs" and "outputs"
        assertEquals(1.0, BookInit.scale(BookInit.Method.XAVIER, new long[] {32, 1, 3, 3}), 1e-12);
        assertEquals(1.0, BookInit.scale(BookInit.Method.XAVIER, new long[] {64, 16, 3, 3}), 1e-12);
        assertEquals(Math.sqrt(0.6), BookInit.scale(BookInit.Method.XAVIER, new long[] {8, 1, 5, 5}), 1e-12);
        assertEquals(Math.sqrt(2), BookInit.scale(BookInit.Method.MSRA, new long[] {8, 3, 3, 3}), 1e-12);
        assertEquals(Math.sqrt(2.0 / 3 * 5), BookInit.scale(BookInit.Method.MSRA, new long[] {8, 3, 3, 5}), 1e-12);
        // fully connected [nIn, nOut]: Glorot; MSRA scaled by the outputs
        assertEquals(Math.sqrt(6.0 / (784 + 128)), BookInit.scale(BookInit.Method.XAVIER, new long[] {784, 128}), 1e-12);
        assertEquals(Math.sqrt(2.0 / 64), BookInit.scale(BookInit.Method.MSRA, new long[] {128, 64}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> BookInit.scale(BookInit.Method.MSRA, new long[] {3}));
    }

    @Test
    void fashionCnnStartsWithTheBooksWideConvolutionKernels() {
        MultiLayerNetwork net = build(FashionCnn.conf(new NetSpec(1, 28, 28, 10, 0.01, 5, LayerChoice.DL4J)));
        INDArray c1 = net.getLayer("c1").getParam("W");
        // U(-1, 1) over 288 weights: the extremes come close to ±1 and the variance is 1/3
        assertTrue(c1.maxNumber().doubleValue() <= 1 && c1.maxNumber().doubleValue() > 0.95, c1.maxNumber().toString());
        assertTrue(c1.minNumber().doubleValue() >= -1 && c1.minNumber().doubleValue() < -0.95);
        assertEquals(1 / 3.0, c1.varNumber().doubleValue(), 0.06);
        assertEquals(0, net.getLayer("c1").getParam("b").sumNumber().doubleValue(), 0);
        double t = Math.sqrt(6.0 / (32 * 13 * 13 + 128));
        INDArray f3 = net.getLayer("f3").getParam("W");
        assertTrue(f3.amaxNumber().doubleValue() <= t && f3.amaxNumber().doubleValue() > 0.99 * t);
    }

    @Test
    void msraOnConvolutionAndDenseLayers() {
        MultiLayerNetwork net = build(ShapeCnn.conf(new NetSpec(1, 28, 28, 5, 0.1, 5, LayerChoice.DL4J)));
        INDArray c2 = net.getLayer("c2").getParam("W"); // 16x8x3x3 = 1152 weights, sigma sqrt(2)
        assertEquals(Math.sqrt(2), c2.stdNumber().doubleValue(), 0.1);
        assertEquals(0, c2.meanNumber().doubleValue(), 0.15);
        INDArray f3 = net.getLayer("f3").getParam("W"); // 576x32, sigma sqrt(2/32) = 0.25
        assertEquals(0.25, f3.stdNumber().doubleValue(), 0.01);
    }

    @Test
    void standardChoiceGivesDl4jsGlorotAndHe() {
        NetSpec s = new NetSpec(1, 28, 28, 5, 0.1, 5, LayerChoice.DL4J, InitChoice.STANDARD);
        MultiLayerNetwork net = build(ShapeCnn.conf(s));
        // He normal: sigma = sqrt(2 / fanIn), fanIn = 8 channels x 3 x 3
        assertEquals(Math.sqrt(2.0 / 72), net.getLayer("c2").getParam("W").stdNumber().doubleValue(), 0.015);
        assertEquals(Math.sqrt(2.0 / 576), net.getLayer("f3").getParam("W").stdNumber().doubleValue(), 0.003);
        MultiLayerNetwork f = build(FashionCnn.conf(new NetSpec(1, 28, 28, 10, 0.01, 5, LayerChoice.DL4J,
                InitChoice.STANDARD)));
        double t = Math.sqrt(6.0 / (9 + 32 * 9)); // Glorot over fanIn 1x3x3 and fanOut 32x3x3
        INDArray c1 = f.getLayer("c1").getParam("W");
        assertTrue(c1.amaxNumber().doubleValue() <= t && c1.amaxNumber().doubleValue() > 0.9 * t);
    }

    @Test
    void survivesTheConfigurationsJsonRoundTrip() {
        MultiLayerConfiguration conf = ShapeCnn.conf(new NetSpec(1, 28, 28, 5, 0.1, 5, LayerChoice.DL4J));
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(BookInit.MSRA, ((org.deeplearning4j.nn.conf.layers.BaseLayer) back.getConf(0).getLayer())
                .getWeightInitFn());
    }

    private static MultiLayerNetwork build(MultiLayerConfiguration conf) {
        return (MultiLayerNetwork) Net.build(conf).model();
    }
}
