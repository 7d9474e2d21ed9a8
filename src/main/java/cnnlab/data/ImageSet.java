package cnnlab.data;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A labelled image set held in memory as unsigned bytes (NCHW order, 1 byte per channel value):
 * the compact form every cnnlab data set uses (CIFAR-10's 50 000 training images take 150 MB).
 *
 * @param pixels {@code n * channels * height * width} bytes, image after image, each CHW
 * @param labels class index of each image
 */
public record ImageSet(byte[] pixels, int[] labels, int channels, int height, int width, List<String> classNames) {

    public ImageSet {
        long per = (long) channels * height * width;
        if (per <= 0 || pixels.length != per * labels.length) {
            throw new IllegalArgumentException("pixel buffer of " + pixels.length + " bytes does not hold "
                    + labels.length + " images of " + channels + "x" + height + "x" + width);
        }
        for (int label : labels) {
            if (label < 0 || label >= classNames.size()) {
                throw new IllegalArgumentException("label " + label + " outside 0.." + (classNames.size() - 1));
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int imageBytes() {
        return channels * height * width;
    }

    /** Unsigned value of channel {@code c}, row {@code y}, column {@code x} of image {@code i}. */
    public int pixel(int i, int c, int y, int x) {
        return pixels[i * imageBytes() + (c * height + y) * width + x] & 0xFF;
    }

    /** A copy of the images at the given indices, in that order. */
    public ImageSet select(int[] indices) {
        int per = imageBytes();
        byte[] p = new byte[indices.length * per];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * per, p, k * per, per);
            l[k] = labels[indices[k]];
        }
        return new ImageSet(p, l, channels, height, width, classNames);
    }

    /** The first {@code n} images (all of them when {@code n >= size()}). */
    public ImageSet head(int n) {
        int m = Math.min(n, size());
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = i;
        }
        return select(idx);
    }

    /** A random subset of {@code n} images (all when {@code n >= size()}), kept in their original order. */
    public ImageSet sample(int n, long seed) {
        if (n >= size()) {
            return this;
        }
        int[] idx = java.util.Arrays.copyOf(permutation(size(), new Random(seed)), n);
        java.util.Arrays.sort(idx);
        return select(idx);
    }

    /** This set followed by {@code other} (same image shape and classes). */
    public ImageSet concat(ImageSet other) {
        if (other.channels != channels || other.height != height || other.width != width
                || !other.classNames.equals(classNames)) {
            throw new IllegalArgumentException("cannot join " + channels + "x" + height + "x" + width + " images with "
                    + other.channels + "x" + other.height + "x" + other.width + " ones of other classes");
        }
        byte[] p = java.util.Arrays.copyOf(pixels, pixels.length + other.pixels.length);
        System.arraycopy(other.pixels, 0, p, pixels.length, other.pixels.length);
        int[] l = java.util.Arrays.copyOf(labels, labels.length + other.labels.length);
        System.arraycopy(other.labels, 0, l, labels.length, other.labels.length);
        return new ImageSet(p, l, channels, height, width, classNames);
    }

    /** Splits off a random {@code 1/k} as validation: returns {train, validation}. */
    public ImageSet[] splitValidation(int k, long seed) {
        int[] perm = permutation(size(), new Random(seed));
        int nVal = size() / k;
        int[] val = java.util.Arrays.copyOfRange(perm, 0, nVal);
        int[] train = java.util.Arrays.copyOfRange(perm, nVal, perm.length);
        java.util.Arrays.sort(val);
        java.util.Arrays.sort(train);
        return new ImageSet[] {select(train), select(val)};
    }

    /** Mini-batches in one training pass ({@link #shuffledIterator} drops a final partial batch). */
    public static int trainingBatches(int size, int batch) {
        return ImageSetIterator.batchesPerPass(size, batch, true);
    }

    /** Number of images of each class. */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** An iterator in fixed order. */
    public DataSetIterator iterator(int batch) {
        return new ImageSetIterator(this, batch, null, null);
    }

    /** An iterator that reshuffles (and, given an augmenter, augments) on every pass. */
    public DataSetIterator shuffledIterator(int batch, long seed, Augmenter augmenter) {
        return new ImageSetIterator(this, batch, seed, augmenter);
    }

    static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Changes one CHW image (as floats 0..255) in place, e.g. random shifts and flips. */
    @FunctionalInterface
    public interface Augmenter {
        void augment(float[] chw, int channels, int height, int width, Random random);
    }

    /** An augmenter that also needs the image's index in the set and the pass number (e.g. alternating flips). */
    public interface IndexedAugmenter extends Augmenter {
        void augment(float[] chw, int channels, int height, int width, Random random, int index, int pass);
    }
}
