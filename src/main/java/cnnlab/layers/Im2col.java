package cnnlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * im2col and col2im (book 17.2 method 3, 17.4 method 2). The column matrix has one row per sample and
 * output position (sample-major, then output row, then output column) and one column per input channel
 * and kernel position (channel-major, then kernel row, then kernel column); entries that fall into the
 * padding take {@code padValue}.
 */
public final class Im2col {
    private Im2col() {
    }

    /** The column matrix of an N×C×H×W array as a (N·outH·outW) × (C·kH·kW) ND4J matrix. */
    public static INDArray im2colMatrix(INDArray x, ConvGeometry g, double padValue) {
        int[] s = Nchw.shape4(x, "input x");
        double[] col = im2col(Nchw.data(x), s[0], s[1], g, padValue);
        return Nchw.create(col, x.dataType(), (long) s[0] * g.outH() * g.outW(), (long) s[1] * g.kH() * g.kW());
    }

    public static double[] im2col(double[] x, int n, int c, ConvGeometry g, double padValue) {
        int h = g.inH();
        int w = g.inW();
        int kh = g.kH();
        int kw = g.kW();
        int oh = g.outH();
        int ow = g.outW();
        int cols = c * kh * kw;
        double[] col = new double[n * oh * ow * cols];
        int idx = 0;
        for (int bn = 0; bn < n; bn++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        int xBase = (bn * c + ch) * h * w;
                        for (int m = 0; m < kh; m++) {
                            int r = i * g.sH() - g.pH() + m;
                            boolean rowIn = r >= 0 && r < h;
                            for (int q = 0; q < kw; q++) {
                                int s = j * g.sW() - g.pW() + q;
                                col[idx++] = rowIn && s >= 0 && s < w ? x[xBase + r * w + s] : padValue;
                            }
                        }
                    }
                }
            }
        }
        return col;
    }

    /** The inverse scatter of {@link #im2col}: entries landing on the same input position are summed. */
    public static double[] col2im(double[] col, int n, int c, ConvGeometry g) {
        int h = g.inH();
        int w = g.inW();
        int kh = g.kH();
        int kw = g.kW();
        int oh = g.outH();
        int ow = g.outW();
        double[] x = new double[n * c * h * w];
        int idx = 0;
        for (int bn = 0; bn < n; bn++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        int xBase = (bn * c + ch) * h * w;
                        for (int m = 0; m < kh; m++) {
                            int r = i * g.sH() - g.pH() + m;
                            boolean rowIn = r >= 0 && r < h;
                            for (int q = 0; q < kw; q++) {
                                int s = j * g.sW() - g.pW() + q;
                                double v = col[idx++];
                                if (rowIn && s >= 0 && s < w) {
                                    x[xBase + r * w + s] += v;
                                }
                            }
                        }
                    }
                }
            }
        }
        return x;
    }
}
