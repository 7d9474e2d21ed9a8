package cnnlab.training;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's 2-D max/average pooling layer ({@link SubsamplingLayer}) with its forward and backward pass written
 * out in Java for NCHW float data, as the book's pooling (17.2.x) does it: each output is the maximum (or mean)
 * of its window; backward, the gradient goes to the window's maximum (or is spread evenly over the window).
 *
 * <p>Why not DL4J's own: in DL4J 1.0.0-M2.1 the pooling forward pass is libnd4j's {@code maxpool2d} op, which
 * on NCHW data runs oneDNN's slow reference kernel ({@code simple_nchw}), and its backward pass runs the
 * forward pass again to find the maxima; both together cost more than the network's convolutions on the book's
 * MNIST CNN ({@code docs/PERFORMANCE.md}). Here the forward pass remembers where each maximum was, and the
 * backward pass only scatters. Same results as DL4J's layer ({@code CpuPoolingTest}: random geometries, all
 * convolution modes, both pooling types).
 *
 * <p>{@link OneDnnHelpers#attach} puts this class in place of each plain {@code SubsamplingLayer} of a network
 * on the CPU backend; the configuration, the saved model and every result are DL4J's. What it does not cover
 * (NHWC, dilation, p-norm pooling, windows over 127 cells, other data types, non-contiguous input) it hands to DL4J's code.
 */
final class CpuPooling extends SubsamplingLayer {
    /**
     * For max pooling: per output element, where its window's maximum is, as the position within the window
     * ({@code row * kw + column}; -1: the window held no input) — a byte per output, a quarter of the output's size.
     */
    private byte[] argmax = new byte[0];
    /** The input {@link #argmax} belongs to (compared by identity), or null. */
    private INDArray argmaxOf;

    CpuPooling(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** One call's geometry, NCHW. */
    record Geometry(int n, int c, int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph,
            int pw, boolean max, boolean padInDivisor) {
        int planes() {
            return n * c;
        }
    }

    /** The geometry of pooling {@code in}, or null when this class does not cover the layer or the input. */
    private Geometry geometry(INDArray in) {
        org.deeplearning4j.nn.conf.layers.SubsamplingLayer lc = layerConf();
        PoolingType type = lc.getPoolingType();
        int[] dil = lc.getDilation();
        if (in == null || in.rank() != 4 || in.dataType() != DataType.FLOAT || dataType != DataType.FLOAT
                || lc.getCnn2dDataFormat() != CNN2DFormat.NCHW || (type != PoolingType.MAX && type != PoolingType.AVG)
                || dil[0] != 1 || dil[1] != 1 || !contiguous(in)
                || (long) lc.getKernelSize()[0] * lc.getKernelSize()[1] > Byte.MAX_VALUE) {
            return null;
        }
        int[] k = lc.getKernelSize();
        int[] s = lc.getStride();
        int h = (int) in.size(2);
        int w = (int) in.size(3);
        int[] out;
        int[] pad;
        if (convolutionMode == ConvolutionMode.Same) {
            out = ConvolutionUtils.getOutputSize(in, k, s, null, convolutionMode, dil, CNN2DFormat.NCHW);
            pad = ConvolutionUtils.getSameModeTopLeftPadding(out, new int[] {h, w}, k, s, dil);
        } else {
            pad = lc.getPadding();
            out = ConvolutionUtils.getOutputSize(in, k, s, pad, convolutionMode, dil, CNN2DFormat.NCHW);
        }
        long planes = in.size(0) * in.size(1);
        if (planes * out[0] * out[1] > Integer.MAX_VALUE || in.length() > Integer.MAX_VALUE) {
            return null;
        }
        return new Geometry((int) in.size(0), (int) in.size(1), h, w, out[0], out[1], k[0], k[1], s[0], s[1], pad[0],
                pad[1], type == PoolingType.MAX, lc.isAvgPoolIncludePadInDivisor());
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        Geometry g = geometry(input);
        if (g == null) {
            argmaxOf = null;
            return super.activate(training, workspaceMgr);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[] {g.n, g.c, g.oh, g.ow}, 'c');
        byte[] am = g.max ? argmaxFor(g) : null;
        Planes x = new Planes(input, g.h * g.w);
        Planes y = new Planes(out, g.oh * g.ow);
        forEachChunk(g.planes(), (from, to) -> {
            float[] xp = x.scratch();
            float[] yp = y.scratch();
            for (int p = from; p < to; p++) {
                x.read(p, xp);
                if (g.max) {
                    maxForward(g, xp, yp, am, p * y.size);
                } else {
                    avgForward(g, xp, yp);
                }
                y.write(p, yp);
            }
        });
        argmaxOf = g.max ? input : null;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Geometry g = geometry(input);
        if (g == null || epsilon.rank() != 4 || epsilon.size(0) != g.n || epsilon.size(1) != g.c
                || epsilon.size(2) != g.oh || epsilon.size(3) != g.ow || epsilon.dataType() != DataType.FLOAT) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray eps = contiguous(epsilon) ? epsilon : epsilon.dup('c');
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        boolean findMax = g.max && argmaxOf != input; // not after this input's forward pass: find the maxima
        byte[] am = findMax ? argmaxFor(g) : argmax;
        Planes x = new Planes(input, g.h * g.w);
        Planes e = new Planes(eps, g.oh * g.ow);
        Planes d = new Planes(dx, g.h * g.w);
        forEachChunk(g.planes(), (from, to) -> {
            float[] ep = e.scratch();
            float[] dp = d.scratch();
            float[] xp = findMax ? x.scratch() : null;
            float[] maxima = findMax ? e.scratch() : null; // the outputs, recomputed and not needed
            for (int p = from; p < to; p++) {
                e.read(p, ep);
                if (g.max) {
                    if (findMax) {
                        x.read(p, xp);
                        maxForward(g, xp, maxima, am, p * e.size);
                    }
                    maxBackward(g, ep, dp, am, p * e.size);
                } else {
                    avgBackward(g, ep, dp);
                }
                d.write(p, dp);
            }
        });
        if (findMax) {
            argmaxOf = input;
        }
        return new Pair<>(new DefaultGradient(), dx);
    }

    private byte[] argmaxFor(Geometry g) {
        int size = g.planes() * g.oh * g.ow;
        if (argmax.length < size) {
            argmax = new byte[size];
        }
        return argmax;
    }

    /**
     * A dense NCHW array seen as consecutive planes of {@code size} floats, copied to and from Java arrays
     * (bulk copies; the kernels then run on plain arrays).
     */
    static final class Planes {
        final FloatBuffer buf;
        final int offset;
        final int size;

        Planes(INDArray a, int size) {
            this.buf = a.data().asNioFloat();
            this.offset = (int) a.offset();
            this.size = size;
        }

        float[] scratch() {
            return new float[size];
        }

        void read(int plane, float[] to) {
            read(plane, to, size);
        }

        void write(int plane, float[] from) {
            write(plane, from, size);
        }

        /** The first {@code length} floats of a plane (the last block of an array cut into blocks may be short). */
        void read(int plane, float[] to, int length) {
            buf.get(offset + plane * size, to, 0, length);
        }

        void write(int plane, float[] from, int length) {
            buf.put(offset + plane * size, from, 0, length);
        }
    }

    /** Max pooling of one plane: the outputs and, per output, the index of its window's maximum. */
    static void maxForward(Geometry g, float[] x, float[] y, byte[] am, int ai) {
        if (plain2x2(g)) {
            max2x2(g, x, y, am, ai);
            return;
        }
        for (int oy = 0; oy < g.oh; oy++) {
            int y0 = oy * g.sh - g.ph;
            int ya = Math.max(y0, 0);
            int yb = Math.min(y0 + g.kh, g.h);
            for (int ox = 0; ox < g.ow; ox++) {
                int x0 = ox * g.sw - g.pw;
                int xa = Math.max(x0, 0);
                int xb = Math.min(x0 + g.kw, g.w);
                float best = Float.NEGATIVE_INFINITY;
                int at = -1;
                for (int r = ya; r < yb; r++) {
                    int row = r * g.w;
                    for (int col = xa; col < xb; col++) {
                        float v = x[row + col];
                        if (v > best || at < 0) {
                            best = v;
                            at = (r - y0) * g.kw + (col - x0);
                        }
                    }
                }
                int o = oy * g.ow + ox;
                y[o] = at < 0 ? 0f : best;
                am[ai + o] = (byte) at;
            }
        }
    }

    /** Whether {@link #maxForward} may use {@link #max2x2}: a 2×2 window that never reaches past the input. */
    private static boolean plain2x2(Geometry g) {
        return g.kh == 2 && g.kw == 2 && g.ph == 0 && g.pw == 0 && (g.oh - 1) * g.sh + 2 <= g.h
                && (g.ow - 1) * g.sw + 2 <= g.w;
    }

    /**
     * {@link #maxForward} for a {@link #plain2x2} window, the same result (first maximum in row order; a NaN
     * propagates) without data-dependent branches: after a ReLU half the inputs are 0, and the branchy scan mispredicted
     * so often that it took 4× as long (measured on 128×8×24×24).
     */
    private static void max2x2(Geometry g, float[] x, float[] y, byte[] am, int ai) {
        int w = g.w;
        for (int oy = 0; oy < g.oh; oy++) {
            int r0 = oy * g.sh * w;
            int o = oy * g.ow;
            for (int ox = 0; ox < g.ow; ox++, o++) {
                int i = r0 + ox * g.sw;
                int j = i + w;
                float a = x[i], b = x[i + 1], c = x[j], d = x[j + 1];
                float top = Math.max(a, b);
                float bottom = Math.max(c, d);
                int inTop = b > a ? 1 : 0; // int-valued choices compile to conditional moves
                int inBottom = d > c ? 3 : 2;
                y[o] = Math.max(top, bottom);
                am[ai + o] = (byte) (bottom > top ? inBottom : inTop);
            }
        }
    }

    /** Max pooling backward for one plane: each output's gradient added at its window's maximum. */
    static void maxBackward(Geometry g, float[] e, float[] d, byte[] am, int ai) {
        java.util.Arrays.fill(d, 0f);
        if (plain2x2(g)) { // window position k sits at row k / 2, column k % 2
            for (int oy = 0; oy < g.oh; oy++) {
                int r0 = oy * g.sh * g.w;
                for (int ox = 0, o = oy * g.ow; ox < g.ow; ox++, o++) {
                    int at = am[ai + o];
                    d[r0 + ox * g.sw + (at >> 1) * g.w + (at & 1)] += e[o];
                }
            }
            return;
        }
        for (int oy = 0; oy < g.oh; oy++) {
            int y0 = oy * g.sh - g.ph;
            for (int ox = 0; ox < g.ow; ox++) {
                int o = oy * g.ow + ox;
                int at = am[ai + o];
                if (at >= 0) {
                    d[(y0 + at / g.kw) * g.w + ox * g.sw - g.pw + at % g.kw] += e[o];
                }
            }
        }
    }

    /** The number an average-pooling window's sum is divided by. */
    private static int divisor(Geometry g, int ya, int yb, int xa, int xb) {
        return g.padInDivisor ? g.kh * g.kw : Math.max(1, (yb - ya) * (xb - xa));
    }

    static void avgForward(Geometry g, float[] x, float[] y) {
        for (int oy = 0; oy < g.oh; oy++) {
            int y0 = oy * g.sh - g.ph;
            int ya = Math.max(y0, 0);
            int yb = Math.min(y0 + g.kh, g.h);
            for (int ox = 0; ox < g.ow; ox++) {
                int x0 = ox * g.sw - g.pw;
                int xa = Math.max(x0, 0);
                int xb = Math.min(x0 + g.kw, g.w);
                double sum = 0;
                for (int r = ya; r < yb; r++) {
                    for (int col = xa; col < xb; col++) {
                        sum += x[r * g.w + col];
                    }
                }
                y[oy * g.ow + ox] = (float) (sum / divisor(g, ya, yb, xa, xb));
            }
        }
    }

    static void avgBackward(Geometry g, float[] e, float[] d) {
        java.util.Arrays.fill(d, 0f);
        for (int oy = 0; oy < g.oh; oy++) {
            int y0 = oy * g.sh - g.ph;
            int ya = Math.max(y0, 0);
            int yb = Math.min(y0 + g.kh, g.h);
            for (int ox = 0; ox < g.ow; ox++) {
                int x0 = ox * g.sw - g.pw;
                int xa = Math.max(x0, 0);
                int xb = Math.min(x0 + g.kw, g.w);
                float share = e[oy * g.ow + ox] / divisor(g, ya, yb, xa, xb);
                for (int r = ya; r < yb; r++) {
                    for (int col = xa; col < xb; col++) {
                        d[r * g.w + col] += share;
                    }
                }
            }
        }
    }

    /** Whether an array is laid out densely in C order from its offset (what the kernels index). */
    static boolean contiguous(INDArray a) {
        if (a.isEmpty()) {
            return false;
        }
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) { // dimensions of size 1 may have any stride
            if (a.size(d) != 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }

    /** A piece of work over the index range [from, to). */
    interface Chunk {
        void run(int from, int to);
    }

    /**
     * Splits 0..n-1 into as many contiguous chunks as the native thread count cnnlab chose for this network
     * ({@link Backend#threads()}) and runs them on the common fork-join pool.
     */
    static void forEachChunk(int n, Chunk body) {
        int t = Math.max(1, Math.min(n, Backend.threads()));
        if (t == 1) {
            body.run(0, n);
            return;
        }
        IntStream.range(0, t).parallel().forEach(k -> body.run((int) ((long) n * k / t), (int) ((long) n * (k + 1) / t)));
    }
}
