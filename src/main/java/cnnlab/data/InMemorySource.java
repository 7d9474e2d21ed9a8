package cnnlab.data;

import java.util.List;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** A {@link DataSource} over three in-memory {@link ImageSet}s. */
public final class InMemorySource implements DataSource {
    private final String name;
    private final ImageSet train;
    private final ImageSet validation;
    private final ImageSet test;
    private final ImageSet.Augmenter augmenter;

    /**
     * @param augmenter applied to training images when {@code train(..., augment=true)}; may be null
     */
    public InMemorySource(String name, ImageSet train, ImageSet validation, ImageSet test,
                          ImageSet.Augmenter augmenter) {
        this.name = name;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.augmenter = augmenter;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> classNames() {
        return train.classNames();
    }

    @Override
    public int channels() {
        return train.channels();
    }

    @Override
    public int height() {
        return train.height();
    }

    @Override
    public int width() {
        return train.width();
    }

    @Override
    public DataSetIterator train(int batch, long seed, boolean augment) {
        if (augment && augmenter == null) {
            throw new IllegalArgumentException("data set " + name + " has no augmentation");
        }
        return train.shuffledIterator(batch, seed, augment ? augmenter : null);
    }

    @Override
    public DataSetIterator validation(int batch) {
        return validation.iterator(batch);
    }

    @Override
    public DataSetIterator test(int batch) {
        return test.iterator(batch);
    }

    @Override
    public int trainSize() {
        return train.size();
    }

    @Override
    public InMemorySource limitTrain(int n, long seed) {
        return new InMemorySource(name, train.sample(n, seed), validation, test, augmenter);
    }

    @Override
    public InMemorySource validatingOnTest() {
        return validationIsTest() ? this : new InMemorySource(name, train.concat(validation), test, test, augmenter);
    }

    @Override
    public boolean validationIsTest() {
        return validation == test;
    }

    public ImageSet trainSet() {
        return train;
    }

    public ImageSet validationSet() {
        return validation;
    }

    public ImageSet testSet() {
        return test;
    }
}
