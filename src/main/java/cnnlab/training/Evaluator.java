package cnnlab.training;

import java.util.List;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Accuracy, mean cross-entropy loss and confusion matrix of a network on a data set. */
public final class Evaluator {
    /** The outcome of one evaluation pass. */
    public record Result(double accuracy, double loss, long examples, Evaluation evaluation) {
    }

    private Evaluator() {
    }

    /** Evaluates {@code net} on every batch of {@code it} (reset first). */
    public static Result evaluate(Net net, DataSetIterator it, List<String> classNames) {
        it.reset();
        Evaluation eval = new Evaluation(classNames, 1);
        double lossSum = 0;
        long n = 0;
        while (it.hasNext()) {
            DataSet ds = it.next();
            INDArray p = net.output(ds.getFeatures());
            eval.eval(ds.getLabels(), p);
            lossSum += crossEntropySum(p, ds.getLabels());
            n += ds.numExamples();
        }
        if (n == 0) {
            throw new IllegalArgumentException("cannot evaluate on an empty data set");
        }
        return new Result(eval.accuracy(), lossSum / n, n, eval);
    }

    /** Sum over the batch of {@code -log p(true class)}, clipped at 1e-12 so it stays finite. */
    static double crossEntropySum(INDArray probs, INDArray oneHot) {
        INDArray pTrue = probs.castTo(oneHot.dataType()).mul(oneHot).sum(1);
        return -Transforms.log(Transforms.max(pTrue, 1e-12), false).sumNumber().doubleValue();
    }

    /** Fraction of rows whose arg-max matches the one-hot label. */
    static double accuracy(INDArray probs, INDArray oneHot) {
        INDArray pred = probs.argMax(1), truth = oneHot.argMax(1);
        return pred.eq(truth).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
    }
}
