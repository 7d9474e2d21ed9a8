package cnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The CIFAR-10 shift/flip augmentation keeps labels and shapes and moves pixels as Keras does. */
class ShiftFlipTest {

    /** A 2-channel 4×5 image whose value encodes channel, row and column. */
    private static float[] ramp() {
        float[] a = new float[2 * 4 * 5];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    a[(c * 4 + y) * 5 + x] = 100 * c + 10 * y + x;
                }
            }
        }
        return a;
    }

    @Test
    void integerShiftMovesPixelsAndRepeatsTheEdge() {
        float[] a = ramp();
        ShiftFlip.shift(a, 2, 4, 5, 1, 2, false); // down 1, right 2
        // row 0 repeats the former row 0; columns 0..1 repeat the former column 0
        assertArrayEquals(new float[] {0, 0, 0, 1, 2}, java.util.Arrays.copyOfRange(a, 0, 5));
        assertArrayEquals(new float[] {0, 0, 0, 1, 2}, java.util.Arrays.copyOfRange(a, 5, 10));
        assertArrayEquals(new float[] {110, 110, 110, 111, 112}, java.util.Arrays.copyOfRange(a, 30, 35));
    }

    @Test
    void subPixelShiftInterpolatesAndFlipMirrors() {
        float[] a = ramp();
        ShiftFlip.shift(a, 2, 4, 5, 0, 0.5, false);
        assertEquals(0f, a[0]);          // left edge clamped
        assertEquals(0.5f, a[1], 1e-6);  // halfway between columns 0 and 1
        assertEquals(3.5f, a[4], 1e-6);
        float[] b = ramp();
        ShiftFlip.shift(b, 2, 4, 5, 0, 0, true);
        assertArrayEquals(new float[] {104, 103, 102, 101, 100}, java.util.Arrays.copyOfRange(b, 20, 25));
        float[] c = ramp();
        ShiftFlip.shift(c, 2, 4, 5, 0, 0, false);
        assertArrayEquals(ramp(), c, "no shift, no flip: unchanged");
    }

    @Test
    void shiftsStayWithinTenPercent() {
        ShiftFlip aug = new ShiftFlip(0.1, 0.1, true);
        Random r = new Random(1);
        int flips = 0;
        for (int k = 0; k < 200; k++) {
            // a single bright column at x = 10 of a 1×20×20 image
            float[] img = new float[400];
            for (int y = 0; y < 20; y++) {
                img[y * 20 + 10] = 255;
            }
            aug.augment(img, 1, 20, 20, r);
            int peak = 0;
            for (int x = 1; x < 20; x++) {
                if (img[5 * 20 + x] > img[5 * 20 + peak]) {
                    peak = x;
                }
            }
            // content moves by at most 0.1 * 20 = 2 pixels (mirroring maps column 10 to 9)
            assertTrue(peak >= 7 && peak <= 12, "peak at " + peak);
            flips += peak <= 8 ? 1 : 0; // moved left or mirrored
        }
        assertTrue(flips > 20 && flips < 180, "shifts and flips vary: " + flips);
        assertThrows(IllegalArgumentException.class, () -> new ShiftFlip(1.5, 0, false));
    }

    @Test
    void augmentedIteratorKeepsLabelsAndShapes() {
        Random r = new Random(5);
        int n = 50;
        byte[] px = new byte[n * 3 * 8 * 8];
        r.nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
        List<String> names = DataSources.info("cifar-10").classNames();
        ImageSet set = new ImageSet(px, labels, 3, 8, 8, names);
        InMemorySource s = new InMemorySource("t", set, set, set, new ShiftFlip(0.1, 0.1, true));
        DataSetIterator plain = s.train(16, 9, false);
        DataSetIterator aug = s.train(16, 9, true);
        List<Integer> plainLabels = new ArrayList<>(), augLabels = new ArrayList<>();
        boolean changed = false;
        while (plain.hasNext()) {
            DataSet p = plain.next(), a = aug.next();
            assertArrayEquals(p.getFeatures().shape(), a.getFeatures().shape());
            assertEquals(p.getLabels(), a.getLabels());
            for (int i = 0; i < p.getLabels().rows(); i++) {
                plainLabels.add(p.getLabels().getRow(i).argMax().getInt(0));
                augLabels.add(a.getLabels().getRow(i).argMax().getInt(0));
            }
            changed |= !p.getFeatures().equals(a.getFeatures());
            assertTrue(a.getFeatures().minNumber().doubleValue() >= 0 && a.getFeatures().maxNumber().doubleValue() <= 255);
        }
        assertEquals(plainLabels, augLabels);
        assertEquals(ImageSet.trainingBatches(n, 16) * 16, augLabels.size(), "a final partial training batch is dropped");
        assertTrue(changed, "augmentation changed the pixels");
        assertNotEquals(0, augLabels.stream().mapToInt(Integer::intValue).sum());
    }
}
