package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * CIFAR-10 CNN (18.6.3, the book's Keras 2.2.5 model): 3×32×32 → conv 32@3×3 same → ReLU → conv 32@3×3
 * → ReLU → max-pool 2 → dropout 0.25 → conv 64@3×3 same → ReLU → conv 64@3×3 → ReLU → max-pool 2 →
 * dropout 0.25 → flatten → dense 512 → ReLU → dropout 0.5 → dense 10 softmax; Glorot-uniform weights and
 * zero biases (Keras defaults), RMSprop lr 1e-4 with decay 1e-6, batch 32, 25 epochs, shift/flip
 * augmentation → test 73.72% (18.6.4, GPU; 63.61% after 10 epochs on an 8-core CPU). Like the Keras
 * script, the experiment trains on all 50 000 training images and validates on the test set
 * ({@link Experiment#validateOnTest()}).
 *
 * <p>Keras to DL4J: {@code Dropout(rate)} drops a fraction {@code rate}, DL4J's {@code DropoutLayer}
 * takes the retain probability, so 0.25 → 0.75 and 0.5 → 0.5. Keras' {@code decay} divides the rate
 * by {@code 1 + decay·iterations} = DL4J {@code InverseSchedule(ITERATION, lr, decay, 1)}; Keras'
 * RMSprop has rho 0.9 and epsilon {@code K.epsilon()} = 1e-7. Convolution mode stays Truncate for
 * the unpadded layers, so the second pooling maps 13×13 to 6×6 as Keras' 'valid' pooling does.
 * The learning rate comes from {@link NetSpec#learningRate()}.
 */
public final class Cifar10Cnn {
    /**
     * Trains {@code cifar10-cnn} exactly as {@code cnnlab train cifar10-cnn ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.Cifar10Cnn -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "cifar10-cnn");
    }

    /** Keras' {@code decay} argument of 18.6.3. */
    public static final double DECAY = 1e-6;
    /** Keras' RMSprop defaults. */
    public static final double RHO = 0.9;
    public static final double EPSILON = 1e-7;

    private Cifar10Cnn() {
    }

    /** RMSprop with Keras' per-iteration learning-rate decay. */
    public static IUpdater rmsprop(double lr) {
        RmsProp r = new RmsProp(new InverseSchedule(ScheduleType.ITERATION, lr, DECAY, 1));
        r.setRmsDecay(RHO);
        r.setEpsilon(EPSILON);
        return r;
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        return BookNets.cnn(s, rmsprop(s.learningRate()), WeightInit.XAVIER_UNIFORM.getWeightInitFunction())
                .conv("c1", 32, 3, 1).relu("relu1")
                .conv("c2", 32, 3).relu("relu2").maxPool("p2").dropout("drop2", 0.25)
                .conv("c3", 64, 3, 1).relu("relu3")
                .conv("c4", 64, 3).relu("relu4").maxPool("p4").dropout("drop4", 0.25)
                .fc("f5", 512).relu("relu5").dropout("drop5", 0.5)
                .softmax("f6");
    }
}
