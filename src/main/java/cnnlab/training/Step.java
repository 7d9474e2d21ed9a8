package cnnlab.training;

import java.util.Map;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * How {@link Trainer}'s loop fits its mini-batches: {@link #ONE_BATCH} on this machine (the default), or
 * several at a time on a cluster ({@code cnnlab.spark.SparkStep}). The loop around it (validation checks,
 * checkpoints, history, the saved model) is the same either way.
 */
public interface Step extends AutoCloseable {
    /** What one call fitted: the last mini-batch (for the train-accuracy check), the mean loss, how many batches. */
    record Fitted(DataSet last, double loss, int batches) {
    }

    /** Fits between 1 and {@code max} mini-batches from {@code train} (which has at least one) into {@code net}. */
    Fitted fit(Net net, DataSetIterator train, long max);

    /** What {@code result.json} records about this way of training under {@code "spark"}; null: nothing. */
    default Map<String, Object> describe() {
        return null;
    }

    @Override
    default void close() {
    }

    /** One mini-batch, one {@code fit}, on this machine. */
    Step ONE_BATCH = (net, train, max) -> {
        DataSet ds = train.next();
        return new Fitted(ds, net.fit(ds), 1);
    };
}
