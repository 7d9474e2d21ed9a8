package cnnlab.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Streams an {@link ImageSet} as float NCHW mini-batches (raw 0..255 values) with one-hot labels.
 * Only one batch is ever converted to floats at a time. With a seed, the order is reshuffled on
 * every {@link #reset()} (pass {@code p} uses seed {@code seed + p}, so runs are reproducible), and a
 * final batch smaller than {@code batch} is dropped when there was a full one before it: a batch of
 * a few images gives batch normalisation such noisy statistics that one step can wreck a small
 * network (seen on the colour CNN). Every image is still used, in other passes.
 */
final class ImageSetIterator implements DataSetIterator {
    private final ImageSet set;
    private final int batch;
    private final Long seed;
    private final ImageSet.Augmenter augmenter;
    private int[] order;
    private int cursor;
    private int pass;
    private Random random;
    private DataSetPreProcessor preProcessor;

    ImageSetIterator(ImageSet set, int batch, Long seed, ImageSet.Augmenter augmenter) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batch);
        }
        this.set = set;
        this.batch = batch;
        this.seed = seed;
        this.augmenter = augmenter;
        startPass();
    }

    private void startPass() {
        cursor = 0;
        if (seed == null) {
            order = null;
        } else {
            random = new Random(seed + pass);
            order = ImageSet.permutation(set.size(), random);
        }
        pass++;
    }

    @Override
    public boolean hasNext() {
        int left = set.size() - cursor;
        return left > 0 && (seed == null || left >= batch || cursor == 0);
    }

    /** Batches per pass: a shuffled (training) pass drops a final partial batch, see above. */
    static int batchesPerPass(int size, int batch, boolean training) {
        return training && size >= batch ? size / batch : (size + batch - 1) / batch;
    }

    @Override
    public DataSet next() {
        return next(batch);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int n = Math.min(num, set.size() - cursor);
        int per = set.imageBytes();
        int classes = set.classNames().size();
        float[] x = new float[n * per];
        float[] y = new float[n * classes];
        float[] one = augmenter == null ? null : new float[per];
        byte[] px = set.pixels();
        for (int k = 0; k < n; k++) {
            int i = order == null ? cursor + k : order[cursor + k];
            int base = i * per;
            if (one == null) {
                for (int j = 0; j < per; j++) {
                    x[k * per + j] = px[base + j] & 0xFF;
                }
            } else {
                for (int j = 0; j < per; j++) {
                    one[j] = px[base + j] & 0xFF;
                }
                if (augmenter instanceof ImageSet.IndexedAugmenter ia) {
                    ia.augment(one, set.channels(), set.height(), set.width(), random, i, pass - 1);
                } else {
                    augmenter.augment(one, set.channels(), set.height(), set.width(), random);
                }
                System.arraycopy(one, 0, x, k * per, per);
            }
            y[k * classes + set.labels()[i]] = 1f;
        }
        cursor += n;
        INDArray features = Nd4j.create(x, new long[] {n, set.channels(), set.height(), set.width()}, 'c');
        INDArray labels = Nd4j.create(y, new long[] {n, classes}, 'c');
        DataSet ds = new DataSet(features, labels);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public int inputColumns() {
        return set.imageBytes();
    }

    @Override
    public int totalOutcomes() {
        return set.classNames().size();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public void reset() {
        startPass();
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return set.classNames();
    }
}
