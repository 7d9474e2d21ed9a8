package cnnlab.training;

import cnnlab.data.DataSource;
import cnnlab.models.Experiment;
import cnnlab.models.NetConf;
import cnnlab.models.NetSpec;
import java.util.Map;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What a training recipe beyond the book adds to the one {@link Trainer} loop ({@code cifar10-fast},
 * {@code mnist-modern}, {@code fashion-modern}; see {@code cnnlab.models.modern}):
 * a network that knows the run's length (per-step schedules), data-dependent initialisation,
 * listeners, its own training augmentation and extra figures at the end. Every method's default
 * is what the book's experiments do, so {@link #NONE} changes nothing.
 */
public interface Recipe {
    Recipe NONE = new Recipe() {
    };

    /** The network configuration for a run of {@code totalSteps} optimiser steps. */
    default NetConf network(Experiment e, NetSpec spec, long totalSteps) {
        return e.network().apply(spec);
    }

    /** Called once on a new (not resumed) network before the first step: data-dependent initialisation. */
    default void initialise(Net net, DataSource src) {
    }

    /** Called on every run, new or resumed, before training: listeners. */
    default void attach(Net net, DataSource src, long stepsPerEpoch, long totalSteps) {
    }

    /** The training iterator (raw pixels; the Trainer adds the normalizer). */
    default DataSetIterator train(DataSource src, int batch, long seed, boolean augment) {
        return src.train(batch, seed, augment);
    }

    /**
     * Called once with the final (last) network and its test accuracy, before the Trainer tests the
     * best-validation one: extra fields for {@code result.json} (e.g. the accuracy with test-time augmentation).
     */
    default Map<String, Object> finish(Net net, DataSource src, Pipeline pipeline, double lastTestAccuracy) {
        return Map.of();
    }
}
