package cnnlab.models.classic;

import cnnlab.models.NetConf;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;

import static cnnlab.models.classic.Layers.bn;
import static cnnlab.models.classic.Layers.conv;
import static cnnlab.models.classic.Layers.dense;
import static cnnlab.models.classic.Layers.dropout;
import static cnnlab.models.classic.Layers.pool;
import static cnnlab.models.classic.Layers.relu;
import static cnnlab.models.classic.Layers.softmax;

/**
 * VGG-16, configuration D of Simonyan, Zisserman, "Very deep convolutional networks for large-scale image
 * recognition", ICLR 2015 (arXiv 1409.1556, table 1; book 18.0): five stacks of 3×3/1 pad-1 convolutions
 * (64×2, 128×2, 256×3, 512×3, 512×3) with ReLU, each followed by max-pool 2×2/2, then FC 4096 → dropout 0.5 →
 * FC 4096 → dropout 0.5 → softmax: 138,357,544 parameters at 3×224×224, 1000 classes (most of them,
 * 102,764,544, in FC 1).
 *
 * <p>{@link #batchNorm(boolean)} inserts batch normalisation between each convolution and its ReLU
 * (the later "VGG-16-BN", not in the paper; the convolutions keep their bias). The {@link #small() CIFAR
 * variant} (3×32×32 → 1×1×512 after the five pools) has batch norm and FC layers of 512.
 */
public final class Vgg16 extends ClassicNet<Vgg16> {
    /**
     * Trains {@code vgg16-cifar10} exactly as {@code cnnlab train vgg16-cifar10 ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.classic.Vgg16 -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "vgg16-cifar10");
    }

    private static final int[][] STAGES = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
    private boolean batchNorm;
    private int fcWidth = 4096;

    public Vgg16 batchNorm(boolean on) {
        batchNorm = on;
        return this;
    }

    /** Width of the two hidden FC layers (paper: 4096). */
    public Vgg16 fcWidth(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("FC width must be positive, got " + n);
        }
        fcWidth = n;
        return this;
    }

    /** CIFAR-10: 3×32×32, 10 classes, batch norm, FC 512. */
    @Override
    public Vgg16 small() {
        return input(3, 32, 32).classes(10).batchNorm(true).fcWidth(512);
    }

    @Override
    public NetConf.Chain build() {
        NeuralNetConfiguration.ListBuilder l = Layers.base(this).list();
        for (int s = 0; s < STAGES.length; s++) {
            for (int i = 0; i < STAGES[s].length; i++) {
                String name = "conv" + (s + 1) + "_" + (i + 1);
                if (batchNorm) {
                    l.layer(conv(name, STAGES[s][i], 3, 1, 1, Activation.IDENTITY, true));
                    l.layer(bn(name + "_bn"));
                    l.layer(relu(name + "_relu"));
                } else {
                    l.layer(conv(name, STAGES[s][i], 3, 1, 1, Activation.RELU, true));
                }
            }
            l.layer(pool("pool" + (s + 1), PoolingType.MAX, 2, 2, 0));
        }
        return Layers.checked(this, l.layer(dense("fc6", fcWidth, Activation.RELU))
                .layer(dropout("drop6", 0.5))
                .layer(dense("fc7", fcWidth, Activation.RELU))
                .layer(dropout("drop7", 0.5))
                .layer(softmax("fc8", classes))
                .setInputType(InputType.convolutional(height, width, channels))
                .build());
    }
}
