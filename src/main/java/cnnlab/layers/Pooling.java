package cnnlab.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max and average pooling, forward and backward (book 17.5), each channel on its own, any window and
 * stride. Backward: max pooling sends each output's gradient to the arg-max of its window (the first one
 * on ties), average pooling spreads it evenly, {@code 1/(kH·kW)} to each window position. Zero padding,
 * where asked for, never wins a max and counts in an average's divisor (kH·kW always).
 * Two implementations: direct loops, and im2col (each channel as its own one-channel image) with a max
 * or mean over the column axis, col2im for the backward pass.
 */
public final class Pooling {
    private Pooling() {
    }

    /**
     * A forward pass and what the backward pass needs.
     *
     * @param xShape NCHW shape of the input
     * @param y the output
     * @param argmax for max pooling, per output the flat index of the winning input element (else null)
     */
    public record Forward(int[] xShape, INDArray y, int[] argmax) {
    }

    public static ConvGeometry geometry(INDArray x, int kH, int kW, int sH, int sW, int pH, int pW) {
        int[] s = Nchw.shape4(x, "input x");
        return new ConvGeometry(s[2], s[3], kH, kW, sH, sW, pH, pW).requireWindowsTouchInput();
    }

    public static Forward forward(Impl impl, PoolingType type, INDArray x, ConvGeometry g) {
        check(type);
        g.requireWindowsTouchInput();
        return impl == Impl.DIRECT ? forwardDirect(type, x, g) : forwardIm2col(type, x, g);
    }

    /** The input gradient; {@code f} must come from {@link #forward} on the same input and geometry. */
    public static INDArray backward(Impl impl, PoolingType type, Forward f, INDArray delta, ConvGeometry g) {
        check(type);
        int[] s = f.xShape();
        long[] expect = {s[0], s[1], g.outH(), g.outW()};
        if (!Arrays.equals(delta.shape(), expect)) {
            throw new IllegalArgumentException("delta has shape " + Arrays.toString(delta.shape())
                    + " but the pooling output is " + Arrays.toString(expect));
        }
        double[] dx = impl == Impl.DIRECT ? backwardDirect(type, f, Nchw.data(delta), g)
                : backwardIm2col(type, f, Nchw.data(delta), g);
        return Nchw.create(dx, delta.dataType(), s[0], s[1], s[2], s[3]);
    }

    private static void check(PoolingType type) {
        if (type != PoolingType.MAX && type != PoolingType.AVG) {
            throw new IllegalArgumentException("pooling type " + type + " is not implemented: use MAX or AVG");
        }
    }

    private static Forward forwardDirect(PoolingType type, INDArray x, ConvGeometry g) {
        int[] s = Nchw.shape4(x, "input x");
        int maps = s[0] * s[1];
        int h = g.inH();
        int w = g.inW();
        int oh = g.outH();
        int ow = g.outW();
        double[] xd = Nchw.data(x);
        double[] y = new double[maps * oh * ow];
        int[] arg = type == PoolingType.MAX ? new int[y.length] : null;
        double area = g.kH() * g.kW();
        for (int mp = 0; mp < maps; mp++) {
            int base = mp * h * w;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int bestAt = -1;
                    double sum = 0;
                    for (int m = 0; m < g.kH(); m++) {
                        int r = i * g.sH() - g.pH() + m;
                        if (r < 0 || r >= h) {
                            continue;
                        }
                        for (int q = 0; q < g.kW(); q++) {
                            int c = j * g.sW() - g.pW() + q;
                            if (c < 0 || c >= w) {
                                continue;
                            }
                            double v = xd[base + r * w + c];
                            sum += v;
                            if (v > best || bestAt < 0) {
                                best = v;
                                bestAt = base + r * w + c;
                            }
                        }
                    }
                    int out = (mp * oh + i) * ow + j;
                    if (arg != null) {
                        y[out] = best;
                        arg[out] = bestAt;
                    } else {
                        y[out] = sum / area;
                    }
                }
            }
        }
        return new Forward(s, Nchw.create(y, x.dataType(), s[0], s[1], oh, ow), arg);
    }

    private static double[] backwardDirect(PoolingType type, Forward f, double[] d, ConvGeometry g) {
        int[] s = f.xShape();
        int maps = s[0] * s[1];
        int h = g.inH();
        int w = g.inW();
        int oh = g.outH();
        int ow = g.outW();
        double[] dx = new double[maps * h * w];
        if (type == PoolingType.MAX) {
            for (int out = 0; out < d.length; out++) {
                dx[f.argmax()[out]] += d[out];
            }
            return dx;
        }
        double area = g.kH() * g.kW();
        for (int mp = 0; mp < maps; mp++) {
            int base = mp * h * w;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double share = d[(mp * oh + i) * ow + j] / area;
                    for (int m = 0; m < g.kH(); m++) {
                        int r = i * g.sH() - g.pH() + m;
                        if (r < 0 || r >= h) {
                            continue;
                        }
                        for (int q = 0; q < g.kW(); q++) {
                            int c = j * g.sW() - g.pW() + q;
                            if (c >= 0 && c < w) {
                                dx[base + r * w + c] += share;
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    private static Forward forwardIm2col(PoolingType type, INDArray x, ConvGeometry g) {
        int[] s = Nchw.shape4(x, "input x");
        INDArray asMaps = x.reshape('c', (long) s[0] * s[1], 1, s[2], s[3]);
        double pad = type == PoolingType.MAX ? Double.NEGATIVE_INFINITY : 0.0;
        INDArray col = Im2col.im2colMatrix(asMaps, g, pad);
        long[] outShape = {s[0], s[1], g.outH(), g.outW()};
        if (type == PoolingType.AVG) {
            return new Forward(s, col.mean(1).reshape('c', outShape), null);
        }
        INDArray y = col.max(1).reshape('c', outShape);
        long[] win = Nd4j.argMax(col, 1).toLongVector();
        int[] arg = new int[win.length];
        int oArea = g.outH() * g.outW();
        for (int row = 0; row < win.length; row++) {
            int mp = row / oArea;
            int i = (row % oArea) / g.outW();
            int j = row % g.outW();
            int r = i * g.sH() - g.pH() + (int) win[row] / g.kW();
            int c = j * g.sW() - g.pW() + (int) win[row] % g.kW();
            arg[row] = (mp * g.inH() + r) * g.inW() + c;
        }
        return new Forward(s, y, arg);
    }

    private static double[] backwardIm2col(PoolingType type, Forward f, double[] d, ConvGeometry g) {
        int[] s = f.xShape();
        int area = g.kH() * g.kW();
        double[] dcol = new double[d.length * area];
        if (type == PoolingType.MAX) {
            // scatter into the arg-max column of each row, then col2im
            int oArea = g.outH() * g.outW();
            for (int row = 0; row < d.length; row++) {
                int at = f.argmax()[row] % (g.inH() * g.inW());
                int i = (row % oArea) / g.outW();
                int j = row % g.outW();
                int m = at / g.inW() - (i * g.sH() - g.pH());
                int q = at % g.inW() - (j * g.sW() - g.pW());
                dcol[row * area + m * g.kW() + q] = d[row];
            }
        } else {
            for (int row = 0; row < d.length; row++) {
                Arrays.fill(dcol, row * area, (row + 1) * area, d[row] / area);
            }
        }
        return Im2col.col2im(dcol, s[0] * s[1], 1, g);
    }
}
