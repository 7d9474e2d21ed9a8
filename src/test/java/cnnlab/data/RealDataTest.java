package cnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Reads the three real data sets from the test data folder (through the data-directory setting)
 * and checks counts, label histograms (numbers in shared/data/README.md), first labels and pixel layout.
 */
class RealDataTest {
    private static final long SEED = 7;

    private static int[] sum(int[] a, int[] b) {
        int[] s = a.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += b[i];
        }
        return s;
    }

    private static int[] firstLabels(ImageSet s, int n) {
        return Arrays.copyOf(s.labels(), n);
    }

    @Test
    void mnist() {
        Path dir = TestData.dir();
        InMemorySource s = (InMemorySource) DataSources.open("mnist", dir, SEED);
        assertEquals(55_000, s.trainSize());
        assertEquals(5_000, s.validationSet().size());
        assertEquals(10_000, s.testSet().size());
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                sum(s.trainSet().classCounts(), s.validationSet().classCounts()));
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, s.testSet().classCounts());
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, firstLabels(s.testSet(), 10));
        int[] raw = Idx.labels(dir.resolve("mnist/train-labels-idx1-ubyte.gz"),
                Checksums.MNIST.get("train-labels-idx1-ubyte"), 60_000);
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(raw, 10));
        assertEquals(1, s.channels());
        assertEquals(28, s.height());
        // the same seed gives the same split, another seed another one
        InMemorySource again = RealData.MNIST.load(dir, SEED);
        assertArrayEquals(s.validationSet().labels(), again.validationSet().labels());
        assertTrue(!Arrays.equals(s.validationSet().labels(), RealData.MNIST.load(dir, SEED + 1).validationSet().labels()));
    }

    @Test
    void fashionMnist() {
        Path dir = TestData.dir(RealData.FASHION_MNIST);
        InMemorySource s = (InMemorySource) DataSources.open("fashion-mnist", dir, SEED);
        assertEquals(55_000, s.trainSize());
        assertEquals(5_000, s.validationSet().size());
        int[] sixThousand = new int[10];
        Arrays.fill(sixThousand, 6000);
        assertArrayEquals(sixThousand, sum(s.trainSet().classCounts(), s.validationSet().classCounts()));
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, s.testSet().classCounts());
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, firstLabels(s.testSet(), 10));
        int[] raw = Idx.labels(dir.resolve("fashion-mnist/train-labels-idx1-ubyte.gz"),
                Checksums.FASHION_MNIST.get("train-labels-idx1-ubyte"), 60_000);
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(raw, 10));
        assertEquals("Ankle boot", s.classNames().get(9));
    }

    @Test
    void cifar10() {
        InMemorySource s = (InMemorySource) DataSources.open("cifar-10", TestData.dir(RealData.CIFAR_10), SEED);
        // 1/10 of the training set held out for validation (the test set stays unseen)
        assertEquals(45_000, s.trainSize());
        assertEquals(5_000, s.validationSet().size());
        ImageSet full = CifarBinary.read(TestData.dir(RealData.CIFAR_10).resolve("cifar-10"), s.classNames())[0];
        int[] fiveThousand = new int[10];
        Arrays.fill(fiveThousand, 5000);
        assertArrayEquals(fiveThousand, full.classCounts());
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, s.testSet().classCounts());
        assertArrayEquals(new int[] {6, 9, 9, 4, 1, 1, 2, 7, 8, 3}, firstLabels(full, 10));
        assertArrayEquals(new int[] {3, 8, 8, 0, 6, 6, 1, 6, 3, 1}, firstLabels(s.testSet(), 10));
        // CHW layout: the well-known per-channel training means 0.4914, 0.4822, 0.4465
        double[] mean = new double[3];
        ImageSet t = full;
        int plane = 32 * 32;
        byte[] px = t.pixels();
        for (int i = 0; i < px.length; i++) {
            mean[(i / plane) % 3] += px[i] & 0xFF;
        }
        double n = (double) t.size() * plane * 255;
        assertEquals(0.4914, mean[0] / n, 1e-4);
        assertEquals(0.4822, mean[1] / n, 1e-4);
        assertEquals(0.4465, mean[2] / n, 1e-4);
        // iterators deliver raw NCHW floats and one-hot labels
        DataSetIterator it = s.test(4);
        DataSet ds = it.next();
        assertArrayEquals(new long[] {4, 3, 32, 32}, ds.getFeatures().shape());
        assertEquals(3, ds.getLabels().argMax(1).getInt(0));
        ImageSet test = s.testSet();
        for (int[] p : new int[][] {{0, 0, 0}, {1, 5, 17}, {2, 31, 30}}) {
            assertEquals(test.pixel(1, p[0], p[1], p[2]), ds.getFeatures().getDouble(1, p[0], p[1], p[2]));
        }
        assertEquals(332_962, java.util.stream.IntStream.range(0, 3 * plane).map(i -> test.pixels()[i] & 0xFF).sum(),
                "pixel sum of the first test image");
    }
}
