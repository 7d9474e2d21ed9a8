package cnnlab.models.classic;

import cnnlab.models.NetConf;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
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
 * DenseNet-121 (Huang, Liu, van der Maaten, Weinberger, "Densely connected convolutional networks",
 * CVPR 2017, arXiv 1608.06993, table 1; book 18.0): DenseNet-BC with growth rate k = 32, four dense blocks
 * of 6, 12, 24, 16 layers, compression 0.5.
 *
 * <ul>
 * <li>stem: conv 2k = 64@7×7/2 → BN → ReLU → max-pool 3×3/2;</li>
 * <li>dense layer: BN → ReLU → conv 4k@1×1 → BN → ReLU → conv k@3×3, its k maps concatenated to all earlier
 *     ones (a {@link MergeVertex});</li>
 * <li>transition (between blocks): BN → ReLU → conv 1×1 halving the channels → avg-pool 2×2/2;</li>
 * <li>head: BN → ReLU → global average pool → FC → softmax.</li>
 * </ul>
 * Convolutions have no bias. 7,978,856 learnable parameters at 3×224×224, 1000 classes (BN running
 * statistics excluded), torchvision's count. {@link #small() The CIFAR variant} uses a conv 64@3×3/1 stem
 * without max-pool (maps 32 → 16 → 8 → 4 through the transitions).
 */
public final class DenseNet121 extends ClassicNet<DenseNet121> {
    /**
     * Trains {@code densenet121-cifar10} exactly as {@code cnnlab train densenet121-cifar10 ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.classic.DenseNet121 -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "densenet121-cifar10");
    }

    private static final int[] BLOCKS = {6, 12, 24, 16};
    private static final int GROWTH = 32;
    private boolean cifarStem;

    public DenseNet121 cifarStem(boolean on) {
        cifarStem = on;
        return this;
    }

    /** CIFAR-10: 3×32×32, 10 classes, 3×3 stem. */
    @Override
    public DenseNet121 small() {
        return input(3, 32, 32).classes(10).cifarStem(true);
    }

    @Override
    public NetConf.Graph build() {
        GraphBuilder g = Layers.base(this).graphBuilder().addInputs("input");
        String x = cifarStem ? convUnit(g, "conv0", "input", 2 * GROWTH, 3, 1, 1, true)
                : convUnit(g, "conv0", "input", 2 * GROWTH, 7, 2, 3, true);
        if (!cifarStem) {
            g.addLayer("pool0", pool("pool0", PoolingType.MAX, 3, 2, 1), x);
            x = "pool0";
        }
        int c = 2 * GROWTH;
        for (int b = 0; b < BLOCKS.length; b++) {
            for (int l = 0; l < BLOCKS[b]; l++) {
                String name = "block" + (b + 1) + "_layer" + (l + 1);
                String y = bnRelu(g, name + "_bn1", x);
                g.addLayer(name + "_conv1", conv(name + "_conv1", 4 * GROWTH, 1, 1, 0, Activation.IDENTITY, false), y);
                y = bnRelu(g, name + "_bn2", name + "_conv1");
                g.addLayer(name + "_conv2", conv(name + "_conv2", GROWTH, 3, 1, 1, Activation.IDENTITY, false), y);
                g.addVertex(name + "_concat", new MergeVertex(), x, name + "_conv2");
                x = name + "_concat";
                c += GROWTH;
            }
            if (b < BLOCKS.length - 1) {
                String name = "transition" + (b + 1);
                String y = bnRelu(g, name + "_bn", x);
                c /= 2;
                g.addLayer(name + "_conv", conv(name + "_conv", c, 1, 1, 0, Activation.IDENTITY, false), y);
                g.addLayer(name + "_pool", pool(name + "_pool", PoolingType.AVG, 2, 2, 0), name + "_conv");
                x = name + "_pool";
            }
        }
        x = bnRelu(g, "bn5", x);
        g.addLayer("avgpool", globalAvg("avgpool"), x);
        g.addLayer("fc", softmax("fc", classes), "avgpool");
        g.setOutputs("fc").setInputTypes(InputType.convolutional(height, width, channels));
        return Layers.checked(this, g.build());
    }

    private static String bnRelu(GraphBuilder g, String name, String input) {
        g.addLayer(name, bn(name), input);
        g.addLayer(name + "_relu", relu(name + "_relu"), name);
        return name + "_relu";
    }
}
