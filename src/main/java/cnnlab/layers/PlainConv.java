package cnnlab.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolution by plain nested loops, as the book writes them. Forward is {@code conv_4d} of 17.2.2 (method
 * 1): for each sample, output channel (adding its bias first), input channel, output row, output column,
 * kernel row and kernel column, {@code y[bs][oc][i][j] += x[bs][ic][fh + i·S][fw + j·S] · W[oc][ic][fh][fw]},
 * on the zero-padded input. Backward is 17.4.1 (method 1) after 17.3: expand the incoming delta back to
 * stride 1, correlate the padded input with it for dW, sum it for dB, pad it by k−1 and correlate it with
 * the 180°-rotated kernels (summing over output channels) for the input gradient, then crop the input
 * padding. Gradients are plain sums over the batch, as in {@link Conv}.
 *
 * <p>Slow and written to be read: the reference for the book's worked examples, which {@link DirectConv}
 * (the same sums in an order the JIT vectorises) and {@link Im2colConv} are tested against.
 */
public final class PlainConv {
    private PlainConv() {
    }

    /** y = x ⋆ w + b (cross-correlation: the kernel is not flipped); {@code b} may be null. */
    public static INDArray forward(INDArray x, INDArray w, INDArray b, ConvGeometry g) {
        double[][][][] padded = pad(array(x), g.pH(), g.pW());
        double[][][][] weights = array(w);
        double[] bias = b == null ? new double[weights.length] : Nchw.data(b);
        int batchSize = padded.length, inputChannel = weights[0].length, outputChannel = weights.length;
        double[][][][] y = new double[batchSize][outputChannel][g.outH()][g.outW()];
        for (int bs = 0; bs < batchSize; bs++) {
            for (int oc = 0; oc < outputChannel; oc++) {
                add(y[bs][oc], bias[oc]);
                for (int ic = 0; ic < inputChannel; ic++) {
                    for (int i = 0; i < g.outH(); i++) {
                        for (int j = 0; j < g.outW(); j++) {
                            int ii = i * g.sH();
                            int jj = j * g.sW();
                            for (int fh = 0; fh < g.kH(); fh++) {
                                for (int fw = 0; fw < g.kW(); fw++) {
                                    y[bs][oc][i][j] += padded[bs][ic][fh + ii][fw + jj] * weights[oc][ic][fh][fw];
                                }
                            }
                        }
                    }
                }
            }
        }
        return create(y, x.dataType());
    }

    /** dx, dW, dB for the incoming {@code delta} (the gradient of the loss with respect to y). */
    public static Conv.Grads backward(INDArray x, INDArray w, INDArray delta, ConvGeometry g) {
        double[][][][] padded = pad(array(x), g.pH(), g.pW());
        double[][][][] weights = array(w);
        int batchSize = padded.length, inputChannel = weights[0].length, outputChannel = weights.length;
        int kh = g.kH(), kw = g.kW();

        // stride S: S-1 zeros between the delta's entries, to the stride-1 output size of the padded input
        double[][][][] dz = expand(array(delta), g.sH(), g.sW(), g.paddedH() - kh + 1, g.paddedW() - kw + 1);
        int outH = dz[0][0].length, outW = dz[0][0][0].length;

        // dB: the delta summed per output channel; dW: the padded input correlated with the delta
        double[] dB = new double[outputChannel];
        double[][][][] dW = new double[outputChannel][inputChannel][kh][kw];
        for (int bs = 0; bs < batchSize; bs++) {
            for (int oc = 0; oc < outputChannel; oc++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        dB[oc] += dz[bs][oc][i][j];
                    }
                }
                for (int ic = 0; ic < inputChannel; ic++) {
                    for (int fh = 0; fh < kh; fh++) {
                        for (int fw = 0; fw < kw; fw++) {
                            for (int i = 0; i < outH; i++) {
                                for (int j = 0; j < outW; j++) {
                                    dW[oc][ic][fh][fw] += padded[bs][ic][fh + i][fw + j] * dz[bs][oc][i][j];
                                }
                            }
                        }
                    }
                }
            }
        }

        // input gradient: the delta padded by k-1, correlated with the rotated kernels, summed over output
        // channels; the result has the padded input's size, and the input padding is cropped off
        double[][][][] dzPadded = pad(dz, kh - 1, kw - 1);
        double[][][][] rotated = rotate180(weights);
        double[][][][] dxPadded = new double[batchSize][inputChannel][g.paddedH()][g.paddedW()];
        for (int bs = 0; bs < batchSize; bs++) {
            for (int ic = 0; ic < inputChannel; ic++) {
                for (int oc = 0; oc < outputChannel; oc++) {
                    for (int i = 0; i < g.paddedH(); i++) {
                        for (int j = 0; j < g.paddedW(); j++) {
                            for (int fh = 0; fh < kh; fh++) {
                                for (int fw = 0; fw < kw; fw++) {
                                    dxPadded[bs][ic][i][j] += dzPadded[bs][oc][fh + i][fw + j] * rotated[oc][ic][fh][fw];
                                }
                            }
                        }
                    }
                }
            }
        }
        double[][][][] dx = crop(dxPadded, g.pH(), g.pW());
        DataType t = x.dataType();
        return new Conv.Grads(create(dx, t), create(dW, t), Nchw.create(dB, t, outputChannel));
    }

    /** Every map of {@code d} with entry (i, j) moved to (i·sh, j·sw) of an {@code eh × ew} map of zeros. */
    static double[][][][] expand(double[][][][] d, int sh, int sw, int eh, int ew) {
        double[][][][] out = new double[d.length][d[0].length][eh][ew];
        for (int n = 0; n < d.length; n++) {
            for (int c = 0; c < d[n].length; c++) {
                for (int i = 0; i < d[n][c].length; i++) {
                    for (int j = 0; j < d[n][c][i].length; j++) {
                        out[n][c][i * sh][j * sw] = d[n][c][i][j];
                    }
                }
            }
        }
        return out;
    }

    /** Each kernel turned by 180°: {@code W[oc][ic][kh-1-m][kw-1-n]}. */
    static double[][][][] rotate180(double[][][][] w) {
        int kh = w[0][0].length, kw = w[0][0][0].length;
        double[][][][] out = new double[w.length][w[0].length][kh][kw];
        for (int oc = 0; oc < w.length; oc++) {
            for (int ic = 0; ic < w[oc].length; ic++) {
                for (int m = 0; m < kh; m++) {
                    for (int n = 0; n < kw; n++) {
                        out[oc][ic][m][n] = w[oc][ic][kh - 1 - m][kw - 1 - n];
                    }
                }
            }
        }
        return out;
    }

    /** {@code ph} rows and {@code pw} columns of zeros around every map. */
    static double[][][][] pad(double[][][][] x, int ph, int pw) {
        int h = x[0][0].length, w = x[0][0][0].length;
        double[][][][] out = new double[x.length][x[0].length][h + 2 * ph][w + 2 * pw];
        for (int n = 0; n < x.length; n++) {
            for (int c = 0; c < x[n].length; c++) {
                for (int i = 0; i < h; i++) {
                    System.arraycopy(x[n][c][i], 0, out[n][c][i + ph], pw, w);
                }
            }
        }
        return out;
    }

    /** The inverse of {@link #pad}. */
    static double[][][][] crop(double[][][][] x, int ph, int pw) {
        int h = x[0][0].length - 2 * ph, w = x[0][0][0].length - 2 * pw;
        double[][][][] out = new double[x.length][x[0].length][h][w];
        for (int n = 0; n < x.length; n++) {
            for (int c = 0; c < x[n].length; c++) {
                for (int i = 0; i < h; i++) {
                    System.arraycopy(x[n][c][i + ph], pw, out[n][c][i], 0, w);
                }
            }
        }
        return out;
    }

    private static void add(double[][] map, double v) {
        for (double[] row : map) {
            for (int j = 0; j < row.length; j++) {
                row[j] += v;
            }
        }
    }

    /** A 4-D array (NCHW or OIHW) as nested Java arrays. */
    private static double[][][][] array(INDArray a) {
        int[] s = Nchw.shape4(a, "array");
        double[] flat = Nchw.data(a);
        double[][][][] out = new double[s[0]][s[1]][s[2]][s[3]];
        int k = 0;
        for (double[][][] a3 : out) {
            for (double[][] a2 : a3) {
                for (double[] row : a2) {
                    System.arraycopy(flat, k, row, 0, row.length);
                    k += row.length;
                }
            }
        }
        return out;
    }

    private static INDArray create(double[][][][] a, DataType type) {
        int n = a.length, c = a[0].length, h = a[0][0].length, w = a[0][0][0].length;
        double[] flat = new double[n * c * h * w];
        int k = 0;
        for (double[][][] a3 : a) {
            for (double[][] a2 : a3) {
                for (double[] row : a2) {
                    System.arraycopy(row, 0, flat, k, row.length);
                    k += row.length;
                }
            }
        }
        return Nchw.create(flat, type, n, c, h, w);
    }
}
