package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.DataSources;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's oneDNN helpers ({@link OneDnnHelpers}) are really attached by {@link Net#build} and {@link Net#load},
 * and a network with them computes what the same network computes without them.
 *
 * <p>Tolerance: relative 1e-4 of the largest magnitude in each array. Both paths are FLOAT (24-bit
 * mantissa, ulp 6e-8) but sum in different orders (oneDNN's blocked direct convolution vs DL4J's im2col +
 * OpenBLAS gemm); a weight gradient of the first convolution sums 16·24·24 = 9,216 products, so rounding
 * differences of order sqrt(n)·ulp ≈ 1e-5 relative are expected (measured: at most 4.2e-6 for mnist-cnn
 * and cifar10-cnn; print them with {@code CNNLAB_TEST_VERBOSE=1}), while a wrong
 * helper (wrong padding, layout, missing bias or activation) is off by 1e-1 or more.
 */
class OneDnnHelpersTest {
    static final double TOL = 1e-4;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cpuOnly() {
        // Reported as skipped (not silently passed) under -Pcuda, where oneDNN does not apply.
        Assumptions.assumeTrue(Backend.isCpu(), "oneDNN helpers are for the CPU backend only");
    }

    @Test
    void backendHasOneDnnAndBuildAttachesHelpers() {
        assertTrue(OneDnnHelpers.available(), "the cpu profile must load nd4j-native's linux-x86_64-onednn build");
        assertTrue(OneDnnHelpers.wanted(), "tests run with oneDNN on (CNNLAB_ONEDNN unset)");
        Net net = Net.build(conf("mnist-cnn"));
        assertHelpers(net);
    }

    @Test
    void loadAttachesHelpers() {
        Net net = Net.build(conf("mnist-cnn"));
        Path f = tmp.resolve("m.zip");
        net.save(f, null, (String) null);
        assertHelpers(Net.load(f));
    }

    @Test
    void optOutLeavesDl4jsOwnLayers() {
        System.setProperty(OneDnnHelpers.PROPERTY, "0");
        try {
            Net net = Net.build(conf("mnist-cnn"));
            for (Layer l : ((MultiLayerNetwork) net.model()).getLayers()) {
                assertNull(l.getHelper(), l.conf().getLayer().getLayerName());
                assertTrue(!(l instanceof CpuPooling), "DL4J's own pooling layer");
            }
            assertTrue(!OneDnnHelpers.nativeOneDnnOn(), "libnd4j's own oneDNN use is off too");
        } finally {
            System.clearProperty(OneDnnHelpers.PROPERTY);
        }
        assertHelpers(Net.build(conf("mnist-cnn")));
        assertTrue(OneDnnHelpers.nativeOneDnnOn(), "and back on");
    }

    @Test
    void customLayersAreLeftAlone() {
        // --layers custom (chapter 17's own conv/pool): only DL4J's batch-norm layer gets a helper.
        Experiment e = Experiments.get("mnist-cnn");
        DataSources.Info info = DataSources.info(e.data());
        Net net = Net.build(e.network().apply(new NetSpec(info.channels(), info.height(), info.width(),
                info.classes(), e.learningRate(), 5, LayerChoice.CUSTOM)));
        assertEquals(1, countHelpers((MultiLayerNetwork) net.model()));
    }

    @Test
    void mnistCnnSameOutputsGradientsAndTraining() {
        compare("mnist-cnn", 1);
    }

    @Test
    void cifar10CnnSameOutputsGradientsAndTraining() {
        compare("cifar10-cnn", 3);
    }

    /** Same parameters, same data: outputs, gradients and the score after a few updates agree. */
    private static void compare(String name, int channels) {
        MultiLayerConfiguration c = conf(name);
        MultiLayerNetwork plain = new MultiLayerNetwork(c.clone());
        plain.init();
        plain.setCacheMode(CacheMode.HOST);
        MultiLayerNetwork fast = (MultiLayerNetwork) Net.build(c.clone()).model();
        fast.setParams(plain.params().dup());
        assertTrue(countHelpers(fast) >= 4, "helpers attached");
        assertEquals(0, countHelpers(plain));

        Nd4j.getRandom().setSeed(7);
        int side = channels == 1 ? 28 : 32;
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, channels, side, side);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 10);
        for (int i = 0; i < 16; i++) {
            y.putScalar(i, (i * 7) % 10, 1f);
        }
        assertClose("output", plain.output(x, false), fast.output(x, false));

        // Dropout (cifar10-cnn) draws its masks from the global RNG in the same order on both paths.
        Nd4j.getRandom().setSeed(11);
        plain.setInput(x);
        plain.setLabels(y);
        plain.computeGradientAndScore();
        Nd4j.getRandom().setSeed(11);
        fast.setInput(x);
        fast.setLabels(y);
        fast.computeGradientAndScore();
        assertEquals(plain.score(), fast.score(), TOL * Math.abs(plain.score()), "score");
        INDArray all = plain.gradient().gradient();
        assertClose("whole gradient", all, fast.gradient().gradient());
        double global = all.amaxNumber().doubleValue();
        for (String k : plain.gradient().gradientForVariable().keySet()) {
            INDArray g = plain.gradient().getGradientFor(k);
            // Arrays whose true gradient is ~0 (the bias of the dense layer in front of batch norm) hold only
            // rounding noise; they are covered by the whole-vector check above.
            if (g.amaxNumber().doubleValue() > 1e-3 * global) {
                assertClose("gradient " + k, g, fast.gradient().getGradientFor(k));
            }
        }

        DataSet ds = new DataSet(x, y);
        for (int step = 0; step < 3; step++) {
            Nd4j.getRandom().setSeed(100 + step);
            plain.fit(ds);
            Nd4j.getRandom().setSeed(100 + step);
            fast.fit(ds);
        }
        assertEquals(plain.score(), fast.score(), 10 * TOL * Math.abs(plain.score()), "score after 3 steps");
        assertClose("parameters after 3 steps", plain.params(), fast.params());
    }

    static void assertClose(String what, INDArray expected, INDArray actual) {
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-12);
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        if (System.getenv("CNNLAB_TEST_VERBOSE") != null) {
            System.out.printf("%s: max |diff| %.3g, relative %.3g%n", what, diff, diff / scale);
        }
        assertTrue(diff <= TOL * scale, what + ": max |difference| " + diff + " > " + TOL + " x max |value| " + scale);
    }

    private static void assertHelpers(Net net) {
        int conv = 0;
        int pool = 0;
        int bn = 0;
        for (Layer l : ((MultiLayerNetwork) net.model()).getLayers()) {
            if (l instanceof ConvolutionLayer) {
                assertTrue(l.getHelper() instanceof MKLDNNConvHelper, "conv helper");
                conv++;
            } else if (l instanceof SubsamplingLayer) {
                assertTrue(l instanceof CpuPooling, "pooling layer replaced by CpuPooling");
                pool++;
            } else if (l instanceof BatchNormalization) {
                assertTrue(l.getHelper() instanceof CpuBatchNorm, "batch-norm helper");
                bn++;
            } else {
                assertNull(l.getHelper());
            }
        }
        assertEquals("2 2 1", conv + " " + pool + " " + bn, "mnist-cnn: 2 conv, 2 pool, 1 batch norm");
    }

    private static int countHelpers(MultiLayerNetwork m) {
        int n = 0;
        for (Layer l : m.getLayers()) {
            n += l.getHelper() != null || l instanceof CpuPooling ? 1 : 0;
        }
        return n;
    }

    private static MultiLayerConfiguration conf(String name) {
        Experiment e = Experiments.get(name);
        DataSources.Info info = DataSources.info(e.data());
        return e.network().apply(new NetSpec(info.channels(), info.height(), info.width(),
                info.classes(), e.learningRate(), 5, LayerChoice.DL4J)).chain();
    }
}
