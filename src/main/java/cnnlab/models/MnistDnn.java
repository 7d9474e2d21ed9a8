package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.nd4j.linalg.activations.Activation;

/**
 * The three-layer MNIST DNN that 18.4.1 compares the CNN with (figure 18-31, the book's 12.1 net,
 * 97.49%): 784 → FC 64 sigmoid → FC 16 tanh → FC 10 softmax; Xavier init, plain SGD lr 0.2,
 * batch 128, at most 40 epochs, stopping once the training loss is below 0.01 (book chapter 12
 * code: {@code n_hidden1=64, n_hidden2=16, eta=0.2, eps=0.01, batch_size=128, max_epoch=40},
 * {@code net.train(dataReader, 0.5, True)}).
 */
public final class MnistDnn {
    /**
     * Trains {@code mnist-dnn} exactly as {@code cnnlab train mnist-dnn ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.MnistDnn -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "mnist-dnn");
    }

    private MnistDnn() {
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        return BookNets.dnn(s, BookNets.sgd(s.learningRate()), s.init().xavier())
                .fc("f1", 64, Activation.SIGMOID)
                .fc("f2", 16, Activation.TANH)
                .softmax("f3");
    }
}
