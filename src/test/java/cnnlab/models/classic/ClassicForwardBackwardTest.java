package cnnlab.models.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.models.NetConf;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Every classic net (and the small-image variants of VGG-16, GoogLeNet, ResNet and LeNet-5) trains one step on a batch of 2 random images of a
 * small input: the output has the right shape, the loss is finite and positive, and the step changes
 * the weights. To keep the suite fast each net runs once, at a small input its structure accepts;
 * the CIFAR variants at 16×16 or 10×10 (same layers, less work; their 32×32 shapes, and every net's
 * 224×224 shapes, are checked by shape inference in {@link ClassicParamCountTest}). ResNet-18 and
 * DenseNet-121 run in their CIFAR and ImageNet-stem forms respectively; ResNet-34/50 cover the
 * ImageNet stem of ResNet. ResNet-18 and GoogLeNet also run forward at their full 3×224×224 input (batch 1).
 */
class ClassicForwardBackwardTest {

    static Stream<Arguments> nets() {
        return Stream.of(
                Arguments.of("lenet5 1x32x32", new LeNet5()),
                Arguments.of("lenet5 mnist 1x28x28", new LeNet5().small()),
                Arguments.of("alexnet 3x64x64", new AlexNet().input(3, 64, 64).classes(10)),
                Arguments.of("zfnet 3x64x64", new ZFNet().input(3, 64, 64).classes(10)),
                Arguments.of("vgg16 3x32x32 fc64", new Vgg16().input(3, 32, 32).classes(10).fcWidth(64)),
                Arguments.of("vgg16 cifar (BN)", new Vgg16().small()),
                Arguments.of("googlenet 3x80x80 (LRN, aux)", new GoogLeNet().input(3, 80, 80).classes(10)),
                Arguments.of("googlenet cifar variant (BN) at 3x10x10", new GoogLeNet().small().input(3, 10, 10)),
                Arguments.of("resnet18 cifar variant at 3x16x16", ResNet.resnet18().small().input(3, 16, 16)),
                Arguments.of("resnet34 3x32x32", ResNet.resnet34().input(3, 32, 32).classes(10)),
                Arguments.of("resnet50 3x32x32", ResNet.resnet50().input(3, 32, 32).classes(10)),
                Arguments.of("densenet121 3x32x32", new DenseNet121().input(3, 32, 32).classes(10)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void oneTrainingStepOnRandomData(String label, ClassicNet<?> net) {
        int[] in = net.inputShape();
        int batch = 2;
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, in[0], in[1], in[2]);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, net.classes());
        y.putScalar(0, 1, 1f);
        y.putScalar(1, 3, 1f);
        NetConf conf = net.updater(new Sgd(0.01)).build();
        if (conf instanceof NetConf.Chain chain) {
            MultiLayerNetwork n = new MultiLayerNetwork(chain.conf());
            n.init();
            INDArray before = n.params().dup();
            n.fit(new DataSet(x, y));
            assertTrue(Double.isFinite(n.score()) && n.score() > 0, label + " score " + n.score());
            assertNotEquals(before, n.params(), label + ": the step changed nothing");
            assertArrayEquals(new long[] {batch, net.classes()}, n.output(x).shape(), label);
        } else {
            ComputationGraph g = new ComputationGraph(conf.graph());
            g.init();
            INDArray before = g.params().dup();
            int outputs = g.getNumOutputArrays();
            INDArray[] labels = new INDArray[outputs];
            java.util.Arrays.fill(labels, y);
            g.fit(new MultiDataSet(new INDArray[] {x}, labels));
            assertTrue(Double.isFinite(g.score()) && g.score() > 0, label + " score " + g.score());
            assertNotEquals(before, g.params(), label + ": the step changed nothing");
            INDArray[] out = g.output(x);
            for (INDArray o : out) {
                assertArrayEquals(new long[] {batch, net.classes()}, o.shape(), label);
            }
        }
    }

    /** Two graph nets run forward at the papers' full input, batch 1 (GoogLeNet: all three outputs). */
    @Test
    void graphNetsForwardAtFullSize() {
        for (ClassicNet<?> net : List.of(ResNet.resnet18(), new GoogLeNet())) {
            ComputationGraph g = new ComputationGraph(net.build().graph());
            g.init();
            INDArray[] out = g.output(Nd4j.rand(DataType.FLOAT, 1, 3, 224, 224));
            assertEquals(net instanceof GoogLeNet ? 3 : 1, out.length, net.toString());
            for (INDArray o : out) {
                assertArrayEquals(new long[] {1, 1000}, o.shape(), net.toString());
                assertEquals(1.0, o.sumNumber().doubleValue(), 1e-4, net + ": softmax sums to 1");
            }
        }
    }
}
