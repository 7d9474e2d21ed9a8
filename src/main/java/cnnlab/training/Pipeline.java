package cnnlab.training;

import cnnlab.data.InputView;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * Turns raw image batches into what a network takes: the saved normalizer (pixels to [0, 1]),
 * then the network's {@link InputView}. Training, evaluation and prediction all go through it.
 */
public record Pipeline(DataNormalization normalizer, InputView view) implements DataSetPreProcessor {

    @Override
    public void preProcess(DataSet ds) {
        ds.setFeatures(features(ds.getFeatures()));
    }

    /** Network input for a raw NCHW batch (the argument is not changed). */
    public INDArray features(INDArray rawNchw) {
        INDArray x = rawNchw.dup();
        if (normalizer != null) {
            normalizer.transform(x);
        }
        return view.apply(x);
    }
}
