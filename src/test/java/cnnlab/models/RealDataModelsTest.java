package cnnlab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.DataSources;
import cnnlab.data.InMemorySource;
import cnnlab.data.InputView;
import cnnlab.data.TestData;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.eval.Evaluation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.RmsProp;

/** The five networks of 18.4-18.6: registration, parameter counts, layer output shapes, one short training run. */
class RealDataModelsTest {

    private static MultiLayerNetwork build(String experiment) {
        Experiment e = Experiments.get(experiment);
        DataSources.Info d = DataSources.info(e.data());
        NetSpec s = new NetSpec(d.channels(), d.height(), d.width(), d.classes(), e.learningRate(), 42, LayerChoice.DL4J);
        MultiLayerNetwork net = new MultiLayerNetwork(e.network().apply(s).chain());
        net.init();
        return net;
    }

    /** Output shape (without the batch dimension) of every layer for a batch of 2. */
    private static long[][] shapes(String experiment) {
        Experiment e = Experiments.get(experiment);
        DataSources.Info d = DataSources.info(e.data());
        long[] in = e.view().shape(d.channels(), d.height(), d.width());
        long[] batch = new long[in.length + 1];
        batch[0] = 2;
        System.arraycopy(in, 0, batch, 1, in.length);
        List<INDArray> acts = build(experiment).feedForward(Nd4j.rand(batch), false);
        long[][] out = new long[acts.size() - 1][];
        for (int i = 1; i < acts.size(); i++) {
            long[] s = acts.get(i).shape();
            assertEquals(2, s[0]);
            out[i - 1] = java.util.Arrays.copyOfRange(s, 1, s.length);
        }
        return out;
    }

    @Test
    void registeredInBookOrderAfterTheShapeExperiments() {
        List<String> names = Experiments.all().stream().map(Experiment::name).toList();
        assertEquals(List.of("mnist-dnn", "mnist-cnn", "fashion-dnn", "fashion-cnn", "fashion-cnn-bn", "cifar10-cnn"),
                names.subList(6, 12));
        assertTrue(Experiments.get("cifar10-cnn").validateOnTest(), "the Keras script validates on the test set");
        assertTrue(Experiments.get("fashion-cnn").usesBookFramework() && !Experiments.get("fashion-cnn").validateOnTest());
        assertTrue(!Experiments.get("cifar10-cnn").usesBookFramework());
        Experiment c = Experiments.get("cifar10-cnn");
        assertTrue(c.augment());
        assertEquals(32, c.batch());
        assertEquals(0.01, Experiments.get("mnist-dnn").stopLoss());
        assertEquals(InputView.GREY_FLAT, Experiments.get("fashion-dnn").view());
        assertTrue(Double.isNaN(Experiments.get("fashion-dnn").bookAccuracy()), "the book states none");
    }

    @Test
    void parameterCounts() {
        Map<String, Long> expected = Map.of(
                // f1 784*64+64 = 50240, f2 64*16+16 = 1040, f3 16*10+10 = 170
                "mnist-dnn", 51_450L,
                // c1 8*25+8 = 208, c2 8*16*25+16 = 3216, f3 16*4*4*32+32 = 8224,
                // bn3 4*32 = 128 (gamma, beta, running mean, running variance), f4 32*10+10 = 330
                "mnist-cnn", 12_106L,
                // f1 784*128+128 = 100480, bn1 4*128 = 512, f2 128*64+64 = 8256, bn2 4*64 = 256, f3 64*10+10 = 650
                "fashion-dnn", 110_154L,
                // c1 32*9+32 = 320, f3 32*13*13*128+128 = 692352, f4 128*10+10 = 1290
                "fashion-cnn", 693_962L,
                // the script's extra bn3: 4*128 = 512
                "fashion-cnn-bn", 694_474L,
                // c1 3*32*9+32 = 896, c2 32*32*9+32 = 9248, c3 32*64*9+64 = 18496, c4 64*64*9+64 = 36928,
                // f5 64*6*6*512+512 = 1180160, f6 512*10+10 = 5130 (Keras summary of the same model: 1,250,858)
                "cifar10-cnn", 1_250_858L);
        expected.forEach((name, n) -> assertEquals(n, build(name).numParams(), name));
    }

    @Test
    void layerOutputShapes() {
        assertArrayEquals(new long[][] {{64}, {16}, {10}}, shapes("mnist-dnn"));
        assertArrayEquals(new long[][] {{8, 24, 24}, {8, 24, 24}, {8, 12, 12}, {16, 8, 8}, {16, 8, 8}, {16, 4, 4},
                {32}, {32}, {32}, {10}}, shapes("mnist-cnn"));
        assertArrayEquals(new long[][] {{128}, {128}, {128}, {64}, {64}, {64}, {10}}, shapes("fashion-dnn"));
        assertArrayEquals(new long[][] {{32, 26, 26}, {32, 26, 26}, {32, 13, 13}, {128}, {128}, {10}},
                shapes("fashion-cnn"));
        assertArrayEquals(new long[][] {{32, 26, 26}, {32, 26, 26}, {32, 13, 13}, {128}, {128}, {128}, {10}},
                shapes("fashion-cnn-bn"));
        assertArrayEquals(new long[][] {{32, 32, 32}, {32, 32, 32}, {32, 30, 30}, {32, 30, 30}, {32, 15, 15},
                {32, 15, 15}, {64, 15, 15}, {64, 15, 15}, {64, 13, 13}, {64, 13, 13}, {64, 6, 6}, {64, 6, 6},
                {512}, {512}, {512}, {10}}, shapes("cifar10-cnn"));
    }

    @Test
    void cifarUsesKerasRmspropAndDropoutRates() {
        MultiLayerNetwork net = build("cifar10-cnn");
        RmsProp r = (RmsProp) net.getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W");
        assertEquals(1e-4, r.getLearningRate(0, 0), 1e-12);
        assertEquals(1e-4 / (1 + 1e-6 * 1000), r.getLearningRate(1000, 0), 1e-12, "Keras decay per iteration");
        assertEquals(0.9, r.getRmsDecay());
        assertEquals(1e-7, r.getEpsilon());
        double[] retain = net.getLayerWiseConfigurations().getConfs().stream()
                .filter(c -> c.getLayer() instanceof DropoutLayer)
                .mapToDouble(c -> ((Dropout) c.getLayer().getIDropout()).getP()).toArray();
        assertArrayEquals(new double[] {0.75, 0.75, 0.5}, retain, "Keras Dropout(0.25, 0.25, 0.5) as retain probabilities");
    }

    @Test
    void oneEpochOfMnistCnnOnTenThousandImagesBeatsNinetyPercent() {
        InMemorySource data = (InMemorySource) DataSources.open("mnist", TestData.dir(), 1);
        Nd4j.factory().blas().setMaxThreads(1);
        MultiLayerNetwork net = build("mnist-cnn");
        ImagePreProcessingScaler scaler = new ImagePreProcessingScaler(0, 1);
        DataSetIterator train = data.trainSet().head(10_000).shuffledIterator(128, 1, null);
        train.setPreProcessor(scaler);
        long t0 = System.nanoTime();
        while (train.hasNext()) {
            net.fit(train.next());
        }
        long t1 = System.nanoTime();
        DataSetIterator test = data.test(128);
        test.setPreProcessor(scaler);
        Evaluation ev = net.evaluate(test);
        System.out.printf("mnist-cnn, 1 epoch on 10000 images: test accuracy %.4f (train %.1f s, test %.1f s)%n",
                ev.accuracy(), (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        assertEquals(10_000, ev.getNumRowCounter());
        assertTrue(ev.accuracy() > 0.90, "accuracy " + ev.accuracy());
    }
}
