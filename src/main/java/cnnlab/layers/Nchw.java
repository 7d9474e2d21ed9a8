package cnnlab.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between ND4J arrays and the plain C-order {@code double[]} the book's loops index. */
final class Nchw {
    private Nchw() {
    }

    /** The elements in C order, as doubles (a copy). */
    static double[] data(INDArray a) {
        INDArray c = a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE);
        if (c.ordering() != 'c' || c.isView() || c.offset() != 0 || c.data().length() != c.length()) {
            c = c.dup('c');
        }
        // one bulk copy out of the (host) buffer; DataBuffer.asDouble() reads it element by element
        Nd4j.getAffinityManager().ensureLocation(c, AffinityManager.Location.HOST);
        double[] d = new double[(int) a.length()];
        c.data().asNioDouble().get(d);
        return d;
    }

    /** A new array of the given type holding {@code data} in C order. */
    static INDArray create(double[] data, DataType type, long... shape) {
        INDArray d = Nd4j.createUninitialized(DataType.DOUBLE, shape);
        d.data().asNioDouble().put(data);
        Nd4j.getAffinityManager().tagLocation(d, AffinityManager.Location.HOST);
        return type == DataType.DOUBLE ? d : d.castTo(type);
    }

    static int[] shape4(INDArray a, String what) {
        if (a.rank() != 4) {
            throw new IllegalArgumentException(what + " must have rank 4 (NCHW), got shape "
                    + Arrays.toString(a.shape()));
        }
        long[] s = a.shape();
        return new int[] {(int) s[0], (int) s[1], (int) s[2], (int) s[3]};
    }

    /** Zero padding of an N×C×H×W array by {@code ph} rows and {@code pw} columns on each side. */
    static double[] pad(double[] x, int n, int c, int h, int w, int ph, int pw) {
        if (ph == 0 && pw == 0) {
            return x;
        }
        int hp = h + 2 * ph;
        int wp = w + 2 * pw;
        double[] out = new double[n * c * hp * wp];
        for (int nc = 0; nc < n * c; nc++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(x, (nc * h + i) * w, out, (nc * hp + i + ph) * wp + pw, w);
            }
        }
        return out;
    }

    /** The inverse of {@link #pad}: drops {@code ph} rows and {@code pw} columns on each side. */
    static double[] crop(double[] xp, int n, int c, int hp, int wp, int ph, int pw) {
        if (ph == 0 && pw == 0) {
            return xp;
        }
        int h = hp - 2 * ph;
        int w = wp - 2 * pw;
        double[] out = new double[n * c * h * w];
        for (int nc = 0; nc < n * c; nc++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(xp, (nc * hp + i + ph) * wp + pw, out, (nc * h + i) * w, w);
            }
        }
        return out;
    }
}
