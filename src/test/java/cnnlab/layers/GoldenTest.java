package cnnlab.layers;

import static cnnlab.layers.Arrays4.arange;
import static cnnlab.layers.Arrays4.exact;
import static cnnlab.layers.Arrays4.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every worked example of the book's 17.1, 17.2 and 17.4 and the backward rules of 17.5. Convolution runs three
 * ways: the book's plain loops ({@link PlainConv}, the reference), and the two {@link Conv} dispatches to.
 */
class GoldenTest {
    /** The three convolutions: the book's plain loops, and {@link Conv} with each {@link Impl}. */
    enum Way {
        PLAIN, DIRECT, IM2COL;

        INDArray forward(INDArray x, INDArray w, INDArray b, ConvGeometry g) {
            return this == PLAIN ? PlainConv.forward(x, w, b, g) : Conv.forward(impl(), x, w, b, g).y();
        }

        Conv.Grads backward(INDArray x, INDArray w, INDArray delta, ConvGeometry g) {
            return this == PLAIN ? PlainConv.backward(x, w, delta, g)
                    : Conv.backward(impl(), Conv.forward(impl(), x, w, null, g), w, delta, g);
        }

        private Impl impl() {
            return Impl.valueOf(name());
        }
    }

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void outputSizeFormulaAndExamples() {
        assertEquals(2, ConvGeometry.outSize(5, 3, 2, 0));
        assertEquals(4, ConvGeometry.outSize(4, 3, 1, 1));
        ConvGeometry g = Conv.geometry(arange(1, 3, 32, 32), arange(2, 3, 5, 5), 1, 1, 0, 0);
        assertEquals(28, g.outH());
        assertEquals(28, g.outW());
        // floored: (7 - 2 + 0)/2 + 1 = 3.5 -> 3
        assertEquals(3, ConvGeometry.outSize(7, 2, 2, 0));
        assertEquals(3, new ConvGeometry(7, 9, 2, 3, 2, 3, 0, 1).outH());
        assertEquals(3, new ConvGeometry(7, 9, 2, 3, 2, 3, 0, 1).outW());
    }

    @Test
    void impossibleGeometriesNameTheNumbers() {
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(3, 3, 6, 2, 1, 1, 1, 0));
        assertTrue(big.getMessage().contains("6x2") && big.getMessage().contains("5x3"), big.getMessage());
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(3, 3, 2, 2, 0, 1, 0, 0));
        assertTrue(stride.getMessage().contains("stride 0x1"), stride.getMessage());
        IllegalArgumentException pad = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(3, 3, 2, 2, 1, 1, -1, 0));
        assertTrue(pad.getMessage().contains("-1x0"), pad.getMessage());
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> Conv.geometry(arange(1, 2, 4, 4), arange(1, 3, 2, 2), 1, 1, 0, 0));
        assertTrue(channels.getMessage().contains("3 input channels"), channels.getMessage());
    }

    @Test
    void im2colMatrixOfTheBook() {
        INDArray x = arange(2, 3, 3, 3);
        ConvGeometry g = new ConvGeometry(3, 3, 2, 2, 1, 1, 0, 0);
        INDArray col = Im2col.im2colMatrix(x, g, 0);
        assertArrayEquals(new long[] {8, 12}, col.shape());
        assertArrayEquals(new double[] {0, 1, 3, 4, 9, 10, 12, 13, 18, 19, 21, 22}, col.getRow(0).toDoubleVector());
        // the second sample's first window starts at element 27
        assertArrayEquals(new double[] {27, 28, 30, 31, 36, 37, 39, 40, 45, 46, 48, 49},
                col.getRow(4).toDoubleVector());
    }

    private static final double[] BOOK_PRODUCT = {1035, 2619, 1101, 2829, 1233, 3249, 1299, 3459,
        2817, 8289, 2883, 8499, 3015, 8919, 3081, 9129};
    private static final double[] BOOK_OUTPUT = {1035, 1101, 1233, 1299, 2619, 2829, 3249, 3459,
        2817, 2883, 3015, 3081, 8289, 8499, 8919, 9129};

    @Test
    void im2colProductOfTheBook() {
        INDArray x = arange(2, 3, 3, 3);
        INDArray w = arange(2, 3, 2, 2);
        INDArray col = Im2col.im2colMatrix(x, new ConvGeometry(3, 3, 2, 2, 1, 1, 0, 0), 0);
        INDArray colW = w.reshape('c', 2, 12).transpose();
        exact("col_x . col_w", of(BOOK_PRODUCT, 8, 2), col.mmul(colW));
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void forwardOfTheBook(Way way) {
        INDArray x = arange(2, 3, 3, 3);
        INDArray w = arange(2, 3, 2, 2);
        ConvGeometry g = Conv.geometry(x, w, 1, 1, 0, 0);
        exact("output", of(BOOK_OUTPUT, 2, 2, 2, 2), way.forward(x, w, null, g));
        INDArray b = of(new double[] {1, -1}, 2);
        INDArray withBias = way.forward(x, w, b, g);
        exact("output + bias", of(BOOK_OUTPUT, 2, 2, 2, 2).add(
                Nd4j.concat(1, Nd4j.ones(2, 1, 2, 2), Nd4j.ones(2, 1, 2, 2).neg())), withBias);
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void singleChannelExample(Way way) {
        INDArray x = arange(1, 1, 3, 3);
        INDArray w = of(new double[] {3, 2, 1, 0}, 1, 1, 2, 2);
        INDArray y = way.forward(x, w, null, Conv.geometry(x, w, 1, 1, 0, 0));
        exact("[5,11,23,29]", of(new double[] {5, 11, 23, 29}, 1, 1, 2, 2), y);
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void backwardSingleChannelExample(Way way) {
        INDArray x = arange(1, 1, 3, 3);
        INDArray w = of(new double[] {0, 1, 2, 3}, 1, 1, 2, 2);
        INDArray delta = of(new double[] {0, 1, 2, 3}, 1, 1, 2, 2);
        ConvGeometry g = Conv.geometry(x, w, 1, 1, 0, 0);
        Conv.Grads grads = way.backward(x, w, delta, g);
        exact("dB", of(new double[] {6}, 1), grads.dB());
        exact("dW", of(new double[] {19, 25, 37, 43}, 1, 1, 2, 2), grads.dW());
        exact("delta_out", of(new double[] {0, 0, 1, 0, 4, 6, 4, 12, 9}, 1, 1, 3, 3), grads.dx());
    }

    @Test
    void dcolOfTheBook() {
        INDArray w = of(new double[] {0, 1, 2, 3}, 1, 1, 2, 2);
        INDArray delta = of(new double[] {0, 1, 2, 3}, 1, 1, 2, 2);
        INDArray dcol = Im2colConv.dcol(Im2colConv.delta2d(delta), w);
        exact("dcol", of(new double[] {0, 0, 0, 0, 0, 1, 2, 3, 0, 2, 4, 6, 0, 3, 6, 9}, 4, 4), dcol);
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void backwardBatchExample(Way way) {
        INDArray x = arange(2, 3, 3, 3);
        INDArray w = arange(2, 3, 2, 2);
        INDArray delta = arange(2, 2, 2, 2);
        ConvGeometry g = Conv.geometry(x, w, 1, 1, 0, 0);
        Conv.Grads grads = way.backward(x, w, delta, g);
        // the book prints dW divided by the batch size 2; ours is the plain sum
        double[] bookDw = {564, 586, 630, 652, 762, 784, 828, 850, 960, 982, 1026, 1048,
            812, 850, 926, 964, 1154, 1192, 1268, 1306, 1496, 1534, 1610, 1648};
        exact("dW", of(bookDw, 2, 3, 2, 2).mul(2), grads.dW());
        double[] bookOut = {48, 112, 66, 128, 296, 172, 88, 200, 114,
            64, 152, 90, 176, 408, 236, 120, 272, 154,
            80, 192, 114, 224, 520, 300, 152, 344, 194,
            144, 320, 178, 352, 776, 428, 216, 472, 258,
            224, 488, 266, 528, 1144, 620, 312, 672, 362,
            304, 656, 354, 704, 1512, 812, 408, 872, 466};
        exact("delta_out", of(bookOut, 2, 3, 3, 3), grads.dx());
        // dB: filter 1 sums 0..3 and 8..11, filter 2 sums 4..7 and 12..15
        exact("dB", of(new double[] {44, 76}, 2), grads.dB());
    }

    @Test
    void strideExpansionAndRot180() {
        double[] e = DirectConv.expand(new double[] {1, 2, 3, 4}, 1, 2, 2, 2, 3, 4, 5);
        assertArrayEquals(new double[] {1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 0, 4, 0, 0, 0, 0, 0, 0}, e);
        assertArrayEquals(new double[] {6, 5, 4, 3, 2, 1}, DirectConv.rot180(new double[] {1, 2, 3, 4, 5, 6}, 1, 2, 3));
        double[][][][] plain = PlainConv.expand(new double[][][][] {{{{1, 2}, {3, 4}}}}, 2, 3, 4, 5);
        assertArrayEquals(new double[] {1, 0, 0, 2, 0}, plain[0][0][0]);
        assertArrayEquals(new double[] {0, 0, 0, 0, 0}, plain[0][0][1]);
        assertArrayEquals(new double[] {3, 0, 0, 4, 0}, plain[0][0][2]);
        assertArrayEquals(new double[] {0, 0, 0, 0, 0}, plain[0][0][3]);
        double[][][][] turned = PlainConv.rotate180(new double[][][][] {{{{1, 2, 3}, {4, 5, 6}}}});
        assertArrayEquals(new double[] {6, 5, 4}, turned[0][0][0]);
        assertArrayEquals(new double[] {3, 2, 1}, turned[0][0][1]);
    }

    /**
     * The fast loops ({@link DirectConv}) and im2col give the plain loops' numbers on random geometries (batch
     * 1–3, channels 1–4, H and W 1–9, rectangular kernels 1–4, stride 1–3, padding 0–2) and values: forward,
     * input gradient, dW and dB, to 1e-12 relative (only the order of the sums differs).
     */
    @Test
    void fastLoopsAndIm2colAgreeWithThePlainLoops() {
        java.util.Random r = new java.util.Random(18);
        int checked = 0;
        while (checked < 150) {
            int n = 1 + r.nextInt(3), c = 1 + r.nextInt(4), o = 1 + r.nextInt(4), h = 1 + r.nextInt(9),
                    w = 1 + r.nextInt(9), kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4), sh = 1 + r.nextInt(3),
                    sw = 1 + r.nextInt(3), ph = r.nextInt(3), pw = r.nextInt(3);
            if (kh > h + 2 * ph || kw > w + 2 * pw) {
                continue;
            }
            String id = "geometry " + checked + ": n" + n + " c" + c + " o" + o + " " + h + "x" + w + " k" + kh + "x" + kw
                    + " s" + sh + "x" + sw + " p" + ph + "x" + pw;
            INDArray x = Nd4j.rand(DataType.DOUBLE, n, c, h, w).subi(0.5);
            INDArray k = Nd4j.rand(DataType.DOUBLE, o, c, kh, kw).subi(0.5);
            INDArray b = Nd4j.rand(DataType.DOUBLE, o).subi(0.5);
            ConvGeometry g = Conv.geometry(x, k, sh, sw, ph, pw);
            INDArray delta = Nd4j.rand(DataType.DOUBLE, n, o, g.outH(), g.outW()).subi(0.5);
            INDArray y = Way.PLAIN.forward(x, k, b, g);
            Conv.Grads ref = Way.PLAIN.backward(x, k, delta, g);
            for (Way way : new Way[] {Way.DIRECT, Way.IM2COL}) {
                Arrays4.close(id + " " + way + " y", y, way.forward(x, k, b, g), 1e-12, 1e-14);
                Conv.Grads got = way.backward(x, k, delta, g);
                Arrays4.close(id + " " + way + " dx", ref.dx(), got.dx(), 1e-12, 1e-14);
                Arrays4.close(id + " " + way + " dW", ref.dW(), got.dW(), 1e-12, 1e-14);
                Arrays4.close(id + " " + way + " dB", ref.dB(), got.dB(), 1e-12, 1e-14);
            }
            checked++;
        }
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void maxPoolingSendsTheGradientToTheArgMax(Impl impl) {
        INDArray x = of(new double[] {
            1, 5, 2, 0,
            3, 4, 8, 7,
            9, 0, 1, 1,
            2, 6, 3, 4}, 1, 1, 4, 4);
        ConvGeometry g = Pooling.geometry(x, 2, 2, 2, 2, 0, 0);
        Pooling.Forward f = Pooling.forward(impl, PoolingType.MAX, x, g);
        exact("max", of(new double[] {5, 8, 9, 4}, 1, 1, 2, 2), f.y());
        INDArray dx = Pooling.backward(impl, PoolingType.MAX, f, of(new double[] {10, 20, 30, 40}, 1, 1, 2, 2), g);
        exact("dx", of(new double[] {
            0, 10, 0, 0,
            0, 0, 20, 0,
            30, 0, 0, 0,
            0, 0, 0, 40}, 1, 1, 4, 4), dx);
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void averagePoolingSpreadsTheGradientEvenly(Impl impl) {
        INDArray x = arange(1, 1, 4, 4);
        ConvGeometry g = Pooling.geometry(x, 2, 2, 2, 2, 0, 0);
        Pooling.Forward f = Pooling.forward(impl, PoolingType.AVG, x, g);
        exact("avg", of(new double[] {2.5, 4.5, 10.5, 12.5}, 1, 1, 2, 2), f.y());
        INDArray dx = Pooling.backward(impl, PoolingType.AVG, f, of(new double[] {4, 8, 12, 16}, 1, 1, 2, 2), g);
        exact("dx", of(new double[] {
            1, 1, 2, 2,
            1, 1, 2, 2,
            3, 3, 4, 4,
            3, 3, 4, 4}, 1, 1, 4, 4), dx);
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void overlappingMaxWindowsAddUp(Impl impl) {
        // 3x3 input, 2x2 window, stride 1: the centre 9 wins all four windows
        INDArray x = of(new double[] {1, 2, 3, 4, 9, 5, 6, 7, 8}, 1, 1, 3, 3);
        ConvGeometry g = Pooling.geometry(x, 2, 2, 1, 1, 0, 0);
        Pooling.Forward f = Pooling.forward(impl, PoolingType.MAX, x, g);
        exact("max", of(new double[] {9, 9, 9, 9}, 1, 1, 2, 2), f.y());
        INDArray dx = Pooling.backward(impl, PoolingType.MAX, f, of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2), g);
        exact("dx", of(new double[] {0, 0, 0, 0, 10, 0, 0, 0, 0}, 1, 1, 3, 3), dx);
    }
}
