package cnnlab.models.classic;

import cnnlab.models.NetConf;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;

import static cnnlab.models.classic.Layers.bn;
import static cnnlab.models.classic.Layers.conv;
import static cnnlab.models.classic.Layers.convUnit;
import static cnnlab.models.classic.Layers.globalAvg;
import static cnnlab.models.classic.Layers.pool;
import static cnnlab.models.classic.Layers.relu;
import static cnnlab.models.classic.Layers.softmax;

/**
 * ResNet (He, Zhang, Ren, Sun, "Deep residual learning for image recognition", CVPR 2016, arXiv
 * 1512.03385, table 1; book 18.0): residual blocks {@code H(x) = F(x) + x}.
 *
 * <ul>
 * <li>stem: conv 64@7×7/2 → BN → ReLU → max-pool 3×3/2;</li>
 * <li>four stages of 64, 128, 256, 512 channels; stages 2-4 halve the map with a stride-2 first block;</li>
 * <li>ResNet-18/34: basic blocks (3×3 → BN → ReLU → 3×3 → BN, + shortcut, ReLU), [2,2,2,2] / [3,4,6,3];</li>
 * <li>ResNet-50: bottleneck blocks (1×1 → 3×3 → 1×1 ×4 channels), [3,4,6,3]; the stride sits on the 3×3
 *     convolution (as in torchvision; the parameter count is the same either way);</li>
 * <li>shortcut: identity, or the paper's option B (projection conv 1×1 with stride + BN) where the shape
 *     changes;</li>
 * <li>global average pooling → FC → softmax.</li>
 * </ul>
 * Convolutions have no bias (BN follows each). Learnable parameters at 3×224×224, 1000 classes:
 * ResNet-18 11,689,512, ResNet-34 21,797,672, ResNet-50 25,557,032 (BN running statistics excluded).
 * {@link #small() The CIFAR variant} replaces the stem with conv 64@3×3/1 → BN → ReLU and no pooling
 * (the common CIFAR adaptation; the paper's own CIFAR nets are the narrower 6n+2 family).
 */
public final class ResNet extends ClassicNet<ResNet> {
    /**
     * Trains {@code resnet18-cifar10} exactly as {@code cnnlab train resnet18-cifar10 ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.classic.ResNet -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "resnet18-cifar10");
    }

    private final int[] blocks;
    private final boolean bottleneck;
    private boolean cifarStem;

    private ResNet(int[] blocks, boolean bottleneck) {
        this.blocks = blocks;
        this.bottleneck = bottleneck;
    }

    public static ResNet resnet18() {
        return new ResNet(new int[] {2, 2, 2, 2}, false);
    }

    public static ResNet resnet34() {
        return new ResNet(new int[] {3, 4, 6, 3}, false);
    }

    public static ResNet resnet50() {
        return new ResNet(new int[] {3, 4, 6, 3}, true);
    }

    /** Stem conv 3×3/1 without max-pool, for 32×32 images. */
    public ResNet cifarStem(boolean on) {
        cifarStem = on;
        return this;
    }

    /** CIFAR-10: 3×32×32, 10 classes, 3×3 stem. */
    @Override
    public ResNet small() {
        return input(3, 32, 32).classes(10).cifarStem(true);
    }

    @Override
    public NetConf.Graph build() {
        GraphBuilder g = Layers.base(this).graphBuilder().addInputs("input");
        String x = cifarStem ? convUnit(g, "conv1", "input", 64, 3, 1, 1, true)
                : convUnit(g, "conv1", "input", 64, 7, 2, 3, true);
        if (!cifarStem) {
            g.addLayer("pool1", pool("pool1", PoolingType.MAX, 3, 2, 1), x);
            x = "pool1";
        }
        int in = 64;
        for (int s = 0; s < 4; s++) {
            int width = 64 << s;
            for (int b = 0; b < blocks[s]; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                String name = "res" + (s + 2) + (char) ('a' + b);
                x = bottleneck ? bottleneck(g, name, x, in, width, stride) : basic(g, name, x, in, width, stride);
                in = bottleneck ? 4 * width : width;
            }
        }
        g.addLayer("avgpool", globalAvg("avgpool"), x);
        g.addLayer("fc", softmax("fc", classes), "avgpool");
        g.setOutputs("fc").setInputTypes(InputType.convolutional(height, width, channels));
        return Layers.checked(this, g.build());
    }

    private static String basic(GraphBuilder g, String name, String x, int in, int width, int stride) {
        String a = convUnit(g, name + "_conv1", x, width, 3, stride, 1, true);
        String b = convBn(g, name + "_conv2", a, width, 3, 1, 1);
        return add(g, name, b, shortcut(g, name, x, in, width, stride));
    }

    private static String bottleneck(GraphBuilder g, String name, String x, int in, int width, int stride) {
        String a = convUnit(g, name + "_conv1", x, width, 1, 1, 0, true);
        String b = convUnit(g, name + "_conv2", a, width, 3, stride, 1, true);
        String c = convBn(g, name + "_conv3", b, 4 * width, 1, 1, 0);
        return add(g, name, c, shortcut(g, name, x, in, 4 * width, stride));
    }

    /** Identity, or projection 1×1 conv + BN where the shape changes; returns the shortcut's vertex. */
    private static String shortcut(GraphBuilder g, String name, String x, int in, int out, int stride) {
        return in == out && stride == 1 ? x : convBn(g, name + "_proj", x, out, 1, stride, 0);
    }

    private static String convBn(GraphBuilder g, String name, String input, int nOut, int k, int s, int p) {
        g.addLayer(name, conv(name, nOut, k, s, p, Activation.IDENTITY, false), input);
        g.addLayer(name + "_bn", bn(name + "_bn"), name);
        return name + "_bn";
    }

    private static String add(GraphBuilder g, String name, String residual, String shortcut) {
        g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), residual, shortcut);
        g.addLayer(name + "_relu", relu(name + "_relu"), name + "_add");
        return name + "_relu";
    }
}
