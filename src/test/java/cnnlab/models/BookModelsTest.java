package cnnlab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cnnlab.data.DataSources;
import cnnlab.data.InputView;
import cnnlab.training.Net;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The six networks of 18.1-18.3 against the book's tables 18-1 and 18-2 (layer output sizes) and
 * hand-counted parameters (weights + biases; batch norm: 2x32 learnable + 2x32 running statistics).
 */
class BookModelsTest {

    @ParameterizedTest
    @CsvSource({
        // experiment, learnable params, all params, output shapes of the named layers
        "color-dnn,       109126, 109126, f1=128;f2=64;f3=6",
        "shape-dnn,       109061, 109061, f1=128;f2=64;f3=5",
        "shape-color-dnn, 109321, 109321, f1=128;f2=64;f3=9",
        // table 18-1: 2x28x28 -> pool 2x14x14 -> 3x12x12 -> pool 3x6x6 = 108 -> 32 -> 6
        "color-cnn,         3815,   3879, c1=2x28x28;p1=2x14x14;c2=3x12x12;p2=3x6x6;f3=32;bn3=32;f4=6",
        // table 18-2: 8x28x28 -> 8x14x14 -> 16x12x12 -> 16x6x6 = 576 -> 32 -> 5
        "shape-cnn,        19941,  20005, c1=8x28x28;p1=8x14x14;c2=16x12x12;p2=16x6x6;f3=32;f4=5",
        "shape-color-cnn,  20217,  20281, c1=8x28x28;p1=8x14x14;c2=16x12x12;p2=16x6x6;f3=32;f4=9",
    })
    void shapesAndParameterCounts(String name, long learnable, long all, String shapes) {
        Experiment e = Experiments.get(name);
        DataSources.Info info = DataSources.info(e.data());
        NetSpec spec = new NetSpec(info.channels(), info.height(), info.width(), info.classes(), e.learningRate(), 1,
                LayerChoice.DL4J);
        MultiLayerConfiguration conf = e.network().apply(spec).chain();
        InputType in = e.view() == InputView.IMAGE ? InputType.convolutional(28, 28, info.channels())
                : InputType.feedForward(784);
        List<InputType> types = conf.getLayerActivationTypes(in);
        for (String pair : shapes.split(";")) {
            String[] kv = pair.split("=");
            int idx = indexOf(conf, kv[0]);
            assertEquals(kv[1], describe(types.get(idx)), name + " layer " + kv[0]);
        }
        MultiLayerNetwork net = (MultiLayerNetwork) Net.build(conf).model();
        assertEquals(all, net.numParams());
        assertEquals(learnable, learnable(net));
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, e.view() == InputView.IMAGE
                ? new long[] {2, info.channels(), 28, 28} : new long[] {2, 784});
        INDArray y = net.output(x);
        assertArrayEquals(new long[] {2, info.classes()}, y.shape());
        assertEquals(2.0, y.sumNumber().doubleValue(), 1e-5, "softmax rows sum to 1");
    }

    /** Parameters the updater changes: everything but batch-norm running mean and variance. */
    static long learnable(MultiLayerNetwork net) {
        long n = 0;
        for (Map.Entry<String, INDArray> p : net.paramTable().entrySet()) {
            String key = p.getKey().substring(p.getKey().indexOf('_') + 1);
            if (!key.equals("mean") && !key.equals("var") && !key.equals("log10stdev")) {
                n += p.getValue().length();
            }
        }
        return n;
    }

    private static int indexOf(MultiLayerConfiguration conf, String layerName) {
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (layerName.equals(conf.getConf(i).getLayer().getLayerName())) {
                return i;
            }
        }
        throw new AssertionError("no layer named " + layerName);
    }

    private static String describe(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            return c.getChannels() + "x" + c.getHeight() + "x" + c.getWidth();
        }
        return String.valueOf(t.arrayElementsPerExample());
    }
}
