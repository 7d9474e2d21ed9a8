package cnnlab.data;

import java.util.List;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;

/**
 * An image-classification data set split into training, validation and test parts.
 *
 * <p>Iterators deliver raw pixel values (0..255, float) as NCHW features {@code [n, c, h, w]} and
 * one-hot labels; scaling is the job of {@link #normalizer()}, which is saved with the model.
 */
public interface DataSource {
    /** Short name, e.g. {@code shape-color}, {@code mnist}. */
    String name();

    /** Class names in label order. */
    List<String> classNames();

    int channels();

    int height();

    int width();

    /** Training examples (validation part excluded), shuffled with {@code seed}, reshuffled on each reset. */
    DataSetIterator train(int batch, long seed, boolean augment);

    /** The held-out validation part of the training set, in a fixed order. */
    DataSetIterator validation(int batch);

    /** The test set, in a fixed order. */
    DataSetIterator test(int batch);

    int trainSize();

    /** Whether {@link #validation} is the test set itself (no held-out part; see {@link #validatingOnTest}). */
    default boolean validationIsTest() {
        return false;
    }

    /** The same data with a random subset of {@code n} training examples, drawn with {@code seed} ({@code --train-limit}). */
    DataSource limitTrain(int n, long seed);

    /**
     * All training images (the held-out part joined back in), validated on the test set: what a Keras
     * script with {@code validation_data=(x_test, y_test)} does (18.6.3).
     */
    DataSource validatingOnTest();

    /** Scales raw pixels to [0, 1], as the book does. */
    default DataNormalization normalizer() {
        return new ImagePreProcessingScaler(0, 1);
    }
}
