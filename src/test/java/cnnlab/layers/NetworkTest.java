package cnnlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.ImageSet;
import cnnlab.data.ShapeTask;
import cnnlab.data.DataSources;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetConf;
import cnnlab.models.NetSpec;
import cnnlab.models.ShapeColorCnn;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The custom layers inside real networks: the chapter-18 shape-and-colour CNN built with
 * {@link LayerChoice#CUSTOM} infers its shapes, initialises exactly like the DL4J build, round-trips
 * through JSON and {@link ModelSerializer}, and trains to the same loss curve as the DL4J build.
 */
class NetworkTest {
    private static final NetSpec SPEC = new NetSpec(3, 28, 28, 9, 0.1, 42, LayerChoice.DL4J);

    @Test
    void customBuildHasTheSameShapesAndInitialParameters() {
        MultiLayerNetwork dl4j = new MultiLayerNetwork(ShapeColorCnn.conf(SPEC));
        dl4j.init();
        MultiLayerNetwork custom = new MultiLayerNetwork(ShapeColorCnn.conf(SPEC.withLayers(LayerChoice.CUSTOM)));
        custom.init();
        assertInstanceOf(CustomConvolutionLayer.class, custom.getLayer("c1"));
        assertInstanceOf(CustomPoolingLayer.class, custom.getLayer("p2"));
        assertEquals(dl4j.numParams(), custom.numParams());
        assertEquals(dl4j.params(), custom.params(), "same seed, same initial parameters");
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 28, 28);
        Arrays4.close("output", dl4j.output(x), custom.output(x), 1e-4, 1e-6);
    }

    @Test
    void everyChapter18CnnBuildsWithCustomLayers() {
        int cnns = 0;
        for (Experiment e : Experiments.all()) {
            if (!e.isCnn() || e.section().equals("18.0") || e.section().equals("beyond")) {
                continue; // the classic nets of 18.0 and the modern recipes are DL4J-only (they refuse --layers custom)
            }
            DataSources.Info info = DataSources.info(e.data());
            NetSpec spec = new NetSpec(info.channels(), info.height(), info.width(), info.classNames().size(),
                    e.learningRate(), 1, LayerChoice.CUSTOM);
            NetConf conf = e.network().apply(spec);
            if (conf instanceof NetConf.Chain chain) {
                MultiLayerConfiguration mlc = chain.conf();
                assertTrue(mlc.getConfs().stream().anyMatch(c -> c.getLayer() instanceof CustomConvolution),
                        e.name() + " has no custom convolution");
                assertEquals(mlc, MultiLayerConfiguration.fromJson(mlc.toJson()), e.name());
                MultiLayerNetwork net = new MultiLayerNetwork(mlc);
                net.init();
                INDArray y = net.output(Nd4j.rand(DataType.FLOAT, 2, info.channels(), info.height(), info.width()));
                assertArrayEquals(new long[] {2, info.classNames().size()}, y.shape(), e.name());
                cnns++;
            }
        }
        assertTrue(cnns >= 3, "CNN experiments checked: " + cnns);
        NetSpec lenet = new NetSpec(1, 28, 28, 10, 0.01, 1, LayerChoice.CUSTOM);
        org.junit.jupiter.api.Assertions.assertThrows(cnnlab.UserError.class,
                () -> Experiments.get("lenet5-mnist").network().apply(lenet));
    }

    @Test
    void jsonAndModelSerializerRoundTrip(@TempDir Path dir) throws Exception {
        MultiLayerConfiguration conf = ShapeColorCnn.conf(SPEC.withLayers(LayerChoice.CUSTOM));
        ((CustomConvolution) conf.getConf(0).getLayer()).setImpl(Impl.DIRECT);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(Impl.DIRECT, ((CustomConvolution) back.getConf(0).getLayer()).getImpl());
        assertEquals(Impl.IM2COL, ((CustomConvolution) back.getConf(3).getLayer()).getImpl());

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        File f = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, f, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(net.params(), restored.params());
        assertInstanceOf(CustomConvolutionLayer.class, restored.getLayer(0));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 28, 28);
        assertEquals(net.output(x), restored.output(x));
    }

    @Test
    void impossibleLayerGeometryIsRejectedWhenTheNetworkIsBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                new NeuralNetConfiguration.Builder().list()
                        .layer(new CustomConvolution.Builder(7, 7).nOut(2).build())
                        .setInputType(InputType.convolutional(5, 5, 1)).build());
        assertTrue(e.getMessage().contains("7x7") && e.getMessage().contains("5x5"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new CustomPooling.Builder(PoolingType.PNORM, 2, 2).build());
        assertThrows(IllegalArgumentException.class,
                () -> new CustomConvolution.Builder(3, 3).dilation(2, 2).nOut(1).build());
    }

    /** Float32 like the chapter-18 runs: the two builds differ only by summation order. */
    static final double LOSS_TOLERANCE = 1e-4;

    @Test
    void customAndDl4jBuildsTrainToTheSameLossCurve() {
        List<Double> dl4j = lossCurve(LayerChoice.DL4J);
        List<Double> custom = lossCurve(LayerChoice.CUSTOM);
        assertEquals(dl4j.size(), custom.size());
        double worst = 0;
        for (int i = 0; i < dl4j.size(); i++) {
            double d = Math.abs(dl4j.get(i) - custom.get(i));
            worst = Math.max(worst, d);
            assertTrue(d <= LOSS_TOLERANCE * Math.max(1, dl4j.get(i)),
                    "iteration " + i + ": dl4j " + dl4j.get(i) + " custom " + custom.get(i));
        }
        assertTrue(custom.get(custom.size() - 1) < custom.get(0), "the loss falls: " + custom);
        System.out.printf("loss curves over %d iterations: dl4j %.5f -> %.5f, custom %.5f -> %.5f, max |difference| %.2e%n",
                dl4j.size(), dl4j.get(0), dl4j.get(dl4j.size() - 1), custom.get(0), custom.get(custom.size() - 1), worst);
    }

    private static List<Double> lossCurve(LayerChoice layers) {
        ImageSet data = ShapeTask.SHAPE_COLOR.draw(8, 7);
        MultiLayerNetwork net = new MultiLayerNetwork(ShapeColorCnn.conf(SPEC.withLayers(layers)));
        net.init();
        ImagePreProcessingScaler scaler = new ImagePreProcessingScaler();
        List<Double> losses = new ArrayList<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            DataSetIterator it = data.shuffledIterator(16, 100 + epoch, null);
            while (it.hasNext()) {
                DataSet ds = it.next();
                scaler.transform(ds);
                net.fit(ds);
                losses.add(net.score());
            }
        }
        return losses;
    }
}
