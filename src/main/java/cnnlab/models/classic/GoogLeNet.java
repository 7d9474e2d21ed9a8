package cnnlab.models.classic;

import cnnlab.models.NetConf;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import static cnnlab.models.classic.Layers.convUnit;
import static cnnlab.models.classic.Layers.dense;
import static cnnlab.models.classic.Layers.dropout;
import static cnnlab.models.classic.Layers.globalAvg;
import static cnnlab.models.classic.Layers.lrn;
import static cnnlab.models.classic.Layers.pool;
import static cnnlab.models.classic.Layers.softmax;

/**
 * GoogLeNet, Inception v1 (Szegedy et al., "Going deeper with convolutions", CVPR 2015, arXiv 1409.4842,
 * table 1 and figure 3; book 18.0). Each Inception module runs in parallel 1×1; 1×1 reduce → 3×3;
 * 1×1 reduce → 5×5; max-pool 3×3/1 → 1×1 projection, all with ReLU, and concatenates them:
 *
 * <pre>
 * stage      paper table 1 (#1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj)   output
 * conv1      64@7×7/2, max-pool 3×3/2, LRN                                             56×56×64
 * conv2      64@1×1, 192@3×3, LRN, max-pool 3×3/2                                      28×28×192
 * 3a, 3b     (64,96,128,16,32,32), (128,128,192,32,96,64), max-pool 3×3/2              14×14×480
 * 4a - 4e    (192,96,208,16,48,64) (160,112,224,24,64,64) (128,128,256,24,64,64)
 *            (112,144,288,32,64,64) (256,160,320,32,128,128), max-pool 3×3/2          7×7×832
 * 5a, 5b     (256,160,320,32,128,128), (384,192,384,48,128,128)                         7×7×1024
 * head       avg-pool 7×7 (here global), dropout 0.4, linear, softmax                  classes
 * </pre>
 *
 * Two auxiliary classifiers, on the outputs of 4a and 4d (section 5): avg-pool 5×5/3 → conv 128@1×1 ReLU →
 * FC 1024 ReLU → dropout 0.7 → linear → softmax, whose losses are added with weight 0.3 ({@link ScaledLoss}).
 * The graph's outputs are {@code main, aux1, aux2} in that order: train with the same labels on all three,
 * predict from output 0. The auxiliary heads only shape training; at inference they are ignored.
 *
 * <p>Parameter count at 3×224×224, 1000 classes, weights and biases (derived layer by layer from
 * table 1 in {@code ClassicParamCountTest.googlenetCountDerivesFromTable1}): main network 6,998,552, each auxiliary head 3,188,840 (aux1, on
 * 4a's 512 maps) and 3,190,888 (aux2, on 4d's 528 maps), all together 13,378,280. Table 1 itself sums to
 * "6.8M" because it omits biases and counts K = 1024 (its 2.7K for conv1 matches no reading of
 * 7·7·3·64 = 9,408). Max-pools 3×3/2 are padded by 1, which gives the paper's 112 → 56 → 28 → 14 → 7 map sizes.
 *
 * <p>{@link #batchNorm(boolean)} puts BN between each convolution and its ReLU and drops the LRNs (as
 * Inception v2 did; not in the paper). {@link #small() The CIFAR variant} has BN and a stride-1 stem
 * without the first two max-pools: 32×32 through 3a/3b, 16×16 through 4a-4e, 8×8 through 5a/5b.
 */
public final class GoogLeNet extends ClassicNet<GoogLeNet> {
    /**
     * Trains {@code googlenet-cifar10} exactly as {@code cnnlab train googlenet-cifar10 ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.classic.GoogLeNet -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "googlenet-cifar10");
    }

    /** Table 1: #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj of 3a, 3b, 4a-4e, 5a, 5b. */
    static final int[][] INCEPTION = {
            {64, 96, 128, 16, 32, 32}, {128, 128, 192, 32, 96, 64},
            {192, 96, 208, 16, 48, 64}, {160, 112, 224, 24, 64, 64}, {128, 128, 256, 24, 64, 64},
            {112, 144, 288, 32, 64, 64}, {256, 160, 320, 32, 128, 128},
            {256, 160, 320, 32, 128, 128}, {384, 192, 384, 48, 128, 128}};
    static final String[] MODULES = {"3a", "3b", "4a", "4b", "4c", "4d", "4e", "5a", "5b"};
    /** Weight of the auxiliary classifiers' losses (section 5). */
    public static final double AUX_WEIGHT = 0.3;

    private boolean batchNorm;
    private boolean cifarStem;

    public GoogLeNet batchNorm(boolean on) {
        batchNorm = on;
        return this;
    }

    public GoogLeNet cifarStem(boolean on) {
        cifarStem = on;
        return this;
    }

    /** CIFAR-10: 3×32×32, 10 classes, stride-1 stem, batch norm. */
    @Override
    public GoogLeNet small() {
        return input(3, 32, 32).classes(10).cifarStem(true).batchNorm(true);
    }

    @Override
    public NetConf.Graph build() {
        GraphBuilder g = Layers.base(this).graphBuilder().addInputs("input");
        String x;
        if (cifarStem) {
            x = convUnit(g, "conv1", "input", 64, 3, 1, 1, batchNorm);
        } else {
            x = convUnit(g, "conv1", "input", 64, 7, 2, 3, batchNorm);
            x = add(g, "pool1", pool("pool1", PoolingType.MAX, 3, 2, 1), x);
            if (!batchNorm) {
                x = add(g, "lrn1", lrn("lrn1"), x);
            }
        }
        x = convUnit(g, "conv2_reduce", x, 64, 1, 1, 0, batchNorm);
        x = convUnit(g, "conv2", x, 192, 3, 1, 1, batchNorm);
        if (!cifarStem) {
            if (!batchNorm) {
                x = add(g, "lrn2", lrn("lrn2"), x);
            }
            x = add(g, "pool2", pool("pool2", PoolingType.MAX, 3, 2, 1), x);
        }
        for (int m = 0; m < MODULES.length; m++) {
            String name = MODULES[m];
            if (name.equals("4a") || name.equals("5a")) {
                x = add(g, "pool" + name.charAt(0), pool("pool" + name.charAt(0), PoolingType.MAX, 3, 2, 1), x);
            }
            x = inception(g, "inception" + name, x, INCEPTION[m]);
            if (name.equals("4a")) {
                aux(g, "aux1", x);
            } else if (name.equals("4d")) {
                aux(g, "aux2", x);
            }
        }
        x = add(g, "avgpool", globalAvg("avgpool"), x);
        x = add(g, "dropout", dropout("dropout", 0.4), x);
        g.addLayer("main", softmax("main", classes), x);
        return Layers.checked(this, g.setOutputs("main", "aux1", "aux2")
                .setInputTypes(InputType.convolutional(height, width, channels)).build());
    }

    private String inception(GraphBuilder g, String name, String x, int[] c) {
        String b1 = convUnit(g, name + "_1x1", x, c[0], 1, 1, 0, batchNorm);
        String b2 = convUnit(g, name + "_3x3", convUnit(g, name + "_3x3_reduce", x, c[1], 1, 1, 0, batchNorm),
                c[2], 3, 1, 1, batchNorm);
        String b3 = convUnit(g, name + "_5x5", convUnit(g, name + "_5x5_reduce", x, c[3], 1, 1, 0, batchNorm),
                c[4], 5, 1, 2, batchNorm);
        String p = add(g, name + "_pool", pool(name + "_pool", PoolingType.MAX, 3, 1, 1), x);
        String b4 = convUnit(g, name + "_pool_proj", p, c[5], 1, 1, 0, batchNorm);
        g.addVertex(name, new MergeVertex(), b1, b2, b3, b4);
        return name;
    }

    private void aux(GraphBuilder g, String name, String x) {
        x = add(g, name + "_avgpool", pool(name + "_avgpool", PoolingType.AVG, 5, 3, 0), x);
        x = convUnit(g, name + "_conv", x, 128, 1, 1, 0, batchNorm);
        x = add(g, name + "_fc", dense(name + "_fc", 1024, Activation.RELU), x);
        x = add(g, name + "_dropout", dropout(name + "_dropout", 0.7), x);
        g.addLayer(name, softmax(name, classes, new ScaledLoss(AUX_WEIGHT, new LossMCXENT())), x);
    }

    private static String add(GraphBuilder g, String name, org.deeplearning4j.nn.conf.layers.Layer layer, String in) {
        g.addLayer(name, layer, in);
        return name;
    }
}
