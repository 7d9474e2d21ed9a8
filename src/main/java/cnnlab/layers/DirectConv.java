package cnnlab.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolution by nested loops, made fast: the sums of the book's loops ({@link PlainConv}: {@code conv_4d} of
 * 17.2.2 and the backward of 17.4.1) in another order. The book's 17.2.3 compiles its loops with numba;
 * here the JIT compiles them, and the two kernel loops run outside the two output loops so that the
 * innermost loop runs along the output, which the JIT turns into vector code. With stride 1 the output is
 * computed on a "wide" grid whose rows are as long as the padded input's, so that the innermost loop runs
 * over a whole map at once instead of one short row at a time. Backward (17.3): the incoming delta expanded
 * back to stride 1, dW as one dot product per kernel tap over the padded input, dB its sum, and the input
 * gradient as the same wide-grid correlation of the delta, padded by k−1, with the 180°-rotated kernels,
 * the input padding cropped off. Rounding differs from {@link PlainConv} only in the order of the sums.
 */
public final class DirectConv {
    private DirectConv() {
    }

    /** y = x ⋆ w + b. */
    public static INDArray forward(INDArray x, INDArray w, INDArray b, ConvGeometry g) {
        int[] xs = Nchw.shape4(x, "input x");
        int n = xs[0];
        int c = xs[1];
        int o = (int) w.size(0);
        int kh = g.kH();
        int kw = g.kW();
        int sh = g.sH();
        int sw = g.sW();
        int hp = g.paddedH();
        int wp = g.paddedW();
        int oh = g.outH();
        int ow = g.outW();
        double[] xp = Nchw.pad(Nchw.data(x), n, c, g.inH(), g.inW(), g.pH(), g.pW());
        double[] wt = Nchw.data(w);
        double[] bias = b == null ? new double[o] : Nchw.data(b);
        double[] y = new double[n * o * oh * ow];
        if (sh == 1 && sw == 1) {
            // Stride 1: compute every output on a "wide" grid whose rows are as long as the padded
            // input's (wp), so that one kernel tap is a single multiply-add over a contiguous run of
            // (oh-1)·wp + ow elements; the last kW−1 columns of each wide row are never read back.
            int run = (oh - 1) * wp + ow;
            double[] acc = new double[run];
            for (int bn = 0; bn < n; bn++) {
                for (int f = 0; f < o; f++) {
                    Arrays.fill(acc, bias[f]);
                    for (int ch = 0; ch < c; ch++) {
                        int xBase = (bn * c + ch) * hp * wp;
                        int wBase = (f * c + ch) * kh * kw;
                        for (int m = 0; m < kh; m++) {
                            for (int q = 0; q < kw; q++) {
                                axpy(wt[wBase + m * kw + q], xp, xBase + m * wp + q, acc, run);
                            }
                        }
                    }
                    int yBase = (bn * o + f) * oh * ow;
                    for (int i = 0; i < oh; i++) {
                        System.arraycopy(acc, i * wp, y, yBase + i * ow, ow);
                    }
                }
            }
            return Nchw.create(y, x.dataType(), n, o, oh, ow);
        }
        for (int bn = 0; bn < n; bn++) {
            for (int f = 0; f < o; f++) {
                int yBase = (bn * o + f) * oh * ow;
                for (int p = 0; p < oh * ow; p++) {
                    y[yBase + p] = bias[f];
                }
                for (int ch = 0; ch < c; ch++) {
                    int xBase = (bn * c + ch) * hp * wp;
                    int wBase = (f * c + ch) * kh * kw;
                    // the kernel loops are hoisted above the output loops, so that the innermost loop
                    // runs along an output row (same sums, an order the JIT can vectorise)
                    for (int m = 0; m < kh; m++) {
                        for (int q = 0; q < kw; q++) {
                            double wv = wt[wBase + m * kw + q];
                            for (int i = 0; i < oh; i++) {
                                int row = xBase + (i * sh + m) * wp + q;
                                int yRow = yBase + i * ow;
                                if (sw == 1) {
                                    for (int j = 0; j < ow; j++) {
                                        y[yRow + j] += wv * xp[row + j];
                                    }
                                } else {
                                    for (int j = 0; j < ow; j++) {
                                        y[yRow + j] += wv * xp[row + j * sw];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Nchw.create(y, x.dataType(), n, o, oh, ow);
    }

    /** dx, dW, dB for the incoming delta (gradient of the loss with respect to y). */
    public static Conv.Grads backward(INDArray x, INDArray w, INDArray delta, ConvGeometry g) {
        int[] xs = Nchw.shape4(x, "input x");
        int n = xs[0];
        int c = xs[1];
        int o = (int) w.size(0);
        int kh = g.kH();
        int kw = g.kW();
        int hp = g.paddedH();
        int wp = g.paddedW();
        double[] xp = Nchw.pad(Nchw.data(x), n, c, g.inH(), g.inW(), g.pH(), g.pW());
        double[] d = Nchw.data(delta);

        // dB: sum of delta per filter
        double[] db = new double[o];
        int oArea = g.outH() * g.outW();
        for (int bn = 0; bn < n; bn++) {
            for (int f = 0; f < o; f++) {
                for (int p = 0; p < oArea; p++) {
                    db[f] += d[(bn * o + f) * oArea + p];
                }
            }
        }

        // stride expansion to the stride-1 output size of the padded input
        int eh = hp - kh + 1;
        int ew = wp - kw + 1;
        double[] de = expand(d, n * o, g.outH(), g.outW(), g.sH(), g.sW(), eh, ew);

        // dW = padded input correlated with the expanded delta. The delta is laid out on the input's row
        // length (wp) with zeros in the extra kW−1 columns, so each tap is one dot product over a
        // contiguous run.
        double[] dw = new double[o * c * kh * kw];
        int run = (eh - 1) * wp + ew;
        double[] wide = new double[run];
        for (int bn = 0; bn < n; bn++) {
            for (int f = 0; f < o; f++) {
                int dBase = (bn * o + f) * eh * ew;
                for (int i = 0; i < eh; i++) {
                    System.arraycopy(de, dBase + i * ew, wide, i * wp, ew);
                }
                for (int ch = 0; ch < c; ch++) {
                    int xBase = (bn * c + ch) * hp * wp;
                    int wBase = (f * c + ch) * kh * kw;
                    for (int m = 0; m < kh; m++) {
                        for (int q = 0; q < kw; q++) {
                            dw[wBase + m * kw + q] += dot(xp, xBase + m * wp + q, wide, run);
                        }
                    }
                }
            }
        }

        // input gradient: delta padded by k-1, correlated with rot180(W), summed over filters
        double[] dp = Nchw.pad(de, n, o, eh, ew, kh - 1, kw - 1);
        int dph = eh + 2 * (kh - 1);
        int dpw = ew + 2 * (kw - 1);
        double[] rot = rot180(Nchw.data(w), o * c, kh, kw);
        double[] dxp = new double[n * c * hp * wp];
        // the same wide-grid correlation as the forward pass, on rows of length dpw
        int runX = (hp - 1) * dpw + wp;
        double[] acc = new double[runX];
        for (int bn = 0; bn < n; bn++) {
            for (int ch = 0; ch < c; ch++) {
                Arrays.fill(acc, 0);
                for (int f = 0; f < o; f++) {
                    int dBase = (bn * o + f) * dph * dpw;
                    int rBase = (f * c + ch) * kh * kw;
                    for (int m = 0; m < kh; m++) {
                        for (int q = 0; q < kw; q++) {
                            axpy(rot[rBase + m * kw + q], dp, dBase + m * dpw + q, acc, runX);
                        }
                    }
                }
                int outBase = (bn * c + ch) * hp * wp;
                for (int r = 0; r < hp; r++) {
                    System.arraycopy(acc, r * dpw, dxp, outBase + r * wp, wp);
                }
            }
        }
        double[] dx = Nchw.crop(dxp, n, c, hp, wp, g.pH(), g.pW());
        return new Conv.Grads(Nchw.create(dx, x.dataType(), xs[0], xs[1], xs[2], xs[3]),
                Nchw.create(dw, x.dataType(), o, c, kh, kw), Nchw.create(db, x.dataType(), o));
    }

    /** {@code acc[p] += a · x[from + p]} for p < len: the one loop the JIT turns into vector code. */
    private static void axpy(double a, double[] x, int from, double[] acc, int len) {
        for (int p = 0; p < len; p++) {
            acc[p] += a * x[from + p];
        }
    }

    /** {@code Σ x[from + p] · y[p]} for p < len, with four partial sums (the JIT keeps a sum's order). */
    private static double dot(double[] x, int from, double[] y, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int p = 0;
        for (; p + 3 < len; p += 4) {
            s0 += x[from + p] * y[p];
            s1 += x[from + p + 1] * y[p + 1];
            s2 += x[from + p + 2] * y[p + 2];
            s3 += x[from + p + 3] * y[p + 3];
        }
        for (; p < len; p++) {
            s0 += x[from + p] * y[p];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Stride expansion (17.3): {@code maps} maps of {@code h×w} become {@code eh×ew} maps with entry
     * (i, j) at (i·sh, j·sw) and zeros elsewhere ({@code eh ≥ (h−1)·sh + 1}; extra rows and columns stay
     * zero, which is where a floored output size left input rows unused). Stride 1 without extra rows
     * returns {@code d} itself.
     */
    public static double[] expand(double[] d, int maps, int h, int w, int sh, int sw, int eh, int ew) {
        if (sh == 1 && sw == 1 && eh == h && ew == w) {
            return d;
        }
        double[] out = new double[maps * eh * ew];
        for (int mp = 0; mp < maps; mp++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    out[(mp * eh + i * sh) * ew + j * sw] = d[(mp * h + i) * w + j];
                }
            }
        }
        return out;
    }

    /** Each of {@code maps} kh×kw kernels rotated by 180°. */
    public static double[] rot180(double[] k, int maps, int kh, int kw) {
        double[] out = new double[k.length];
        for (int mp = 0; mp < maps; mp++) {
            int base = mp * kh * kw;
            for (int m = 0; m < kh; m++) {
                for (int q = 0; q < kw; q++) {
                    out[base + m * kw + q] = k[base + (kh - 1 - m) * kw + (kw - 1 - q)];
                }
            }
        }
        return out;
    }
}
