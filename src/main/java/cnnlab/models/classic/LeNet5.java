package cnnlab.models.classic;

import cnnlab.models.NetConf;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

import static cnnlab.models.classic.Layers.conv;
import static cnnlab.models.classic.Layers.dense;
import static cnnlab.models.classic.Layers.pool;
import static cnnlab.models.classic.Layers.softmax;

/**
 * LeNet-5 (LeCun, Bottou, Bengio, Haffner, "Gradient-based learning applied to document recognition",
 * Proc. IEEE 1998; book 18.0): 1×32×32 → C1 conv 6@5×5 → S2 avg-pool 2 → C3 conv 16@5×5 → S4 avg-pool 2 →
 * C5 FC 120 → F6 FC 84 → 10-way softmax, tanh activations: 61,706 parameters.
 *
 * <p>Departures from the paper, as in the usual modern rendering (and the book's description): C3 is
 * fully connected to S2 (the paper's connection table leaves 60 of 96 pairs, 1,516 instead of 2,416
 * parameters), the subsampling layers have no trainable coefficient and bias, and the output is a
 * softmax instead of Euclidean RBF units. A 28×28 input (MNIST) gets padding 2 on C1, the usual
 * convention, so that the rest of the network is unchanged.
 */
public final class LeNet5 extends ClassicNet<LeNet5> {
    /**
     * Trains {@code lenet5-mnist} exactly as {@code cnnlab train lenet5-mnist ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.classic.LeNet5 -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "lenet5-mnist");
    }


    public LeNet5() {
        input(1, 32, 32);
        classes(10);
    }

    /** MNIST: 1×28×28, 10 classes. */
    @Override
    public LeNet5 small() {
        return input(1, 28, 28).classes(10);
    }

    @Override
    public NetConf.Chain build() {
        int pad = Math.max(0, (32 - Math.min(height, width) + 1) / 2);
        return Layers.checked(this, Layers.base(this).weightInit(WeightInit.XAVIER).list()
                .layer(conv("c1", 6, 5, 1, pad, Activation.TANH, true))
                .layer(pool("s2", PoolingType.AVG, 2, 2, 0))
                .layer(conv("c3", 16, 5, 1, 0, Activation.TANH, true))
                .layer(pool("s4", PoolingType.AVG, 2, 2, 0))
                .layer(dense("c5", 120, Activation.TANH))
                .layer(dense("f6", 84, Activation.TANH))
                .layer(softmax("output", classes))
                .setInputType(InputType.convolutional(height, width, channels))
                .build());
    }
}
