package cnnlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Test helpers: arange arrays and element-wise comparison with a relative tolerance. */
final class Arrays4 {
    private Arrays4() {
    }

    static INDArray arange(long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return Nd4j.arange(0, n).castTo(DataType.DOUBLE).reshape('c', shape);
    }

    static INDArray of(double[] data, long... shape) {
        return Nd4j.create(data, shape, DataType.DOUBLE);
    }

    /** |a − b| ≤ max(abs, rel·max(|a|, |b|)) everywhere, same shape. */
    static void close(String what, INDArray expected, INDArray actual, double rel, double abs) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = Nchw.data(expected);
        double[] a = Nchw.data(actual);
        for (int i = 0; i < e.length; i++) {
            double tol = Math.max(abs, rel * Math.max(Math.abs(e[i]), Math.abs(a[i])));
            if (!(Math.abs(e[i] - a[i]) <= tol)) {
                fail(what + ": element " + i + " expected " + e[i] + " got " + a[i]);
            }
        }
    }

    static void exact(String what, INDArray expected, INDArray actual) {
        close(what, expected, actual, 1e-12, 1e-9);
    }
}
