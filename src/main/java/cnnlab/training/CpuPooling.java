package cnnlab.training;

import java.nio.FloatBuffer;
import java.util.function.IntConsumer;
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
 * (NHWC, dilation, p-norm pooling, other data types, non-contiguous input) it hands to DL4J's code.
 */
final class CpuPooling extends SubsamplingLayer {
    /** For max pooling: per output element, the index (within its input plane) of its window's maximum. */
    private int[] argmax = new int[0];
    /** The input {@link #argmax} belongs to (compared by identity), or null. */
    private INDArray argmaxOf;

    CpuPooling(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** One call's geometry, NCHW. */
    private record Geometry(int n, int c, int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph,
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
                || dil[0] != 1 || dil[1] != 1 || !contiguous(in)) {
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
        FloatBuffer x = floats(input);
        FloatBuffer y = floats(out);
        long xo = input.offset();
        long yo = out.offset();
        if (g.max) {
            int[] am = argmaxFor(g);
            forEach(g.planes(), p -> maxForward(g, x, (int) (xo + (long) p * g.h * g.w), y,
                    (int) (yo + (long) p * g.oh * g.ow), am, p * g.oh * g.ow));
            argmaxOf = input;
        } else {
            forEach(g.planes(), p -> avgForward(g, x, (int) (xo + (long) p * g.h * g.w), y,
                    (int) (yo + (long) p * g.oh * g.ow)));
        }
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
        FloatBuffer e = floats(eps);
        FloatBuffer d = floats(dx);
        long eo = eps.offset();
        long dOff = dx.offset();
        if (g.max) {
            if (argmaxOf != input) { // not this input's forward pass (e.g. backprop without it): find the maxima
                int[] am = argmaxFor(g);
                FloatBuffer x = floats(input);
                long xo = input.offset();
                forEach(g.planes(), p -> maxForward(g, x, (int) (xo + (long) p * g.h * g.w), null, 0, am,
                        p * g.oh * g.ow));
                argmaxOf = input;
            }
            int[] am = argmax;
            forEach(g.planes(), p -> maxBackward(g, e, (int) (eo + (long) p * g.oh * g.ow), d,
                    (int) (dOff + (long) p * g.h * g.w), am, p * g.oh * g.ow));
        } else {
            forEach(g.planes(), p -> avgBackward(g, e, (int) (eo + (long) p * g.oh * g.ow), d,
                    (int) (dOff + (long) p * g.h * g.w)));
        }
        return new Pair<>(new DefaultGradient(), dx);
    }

    private int[] argmaxFor(Geometry g) {
        int size = g.planes() * g.oh * g.ow;
        if (argmax.length < size) {
            argmax = new int[size];
        }
        return argmax;
    }

    /** Max pooling of one plane; writes the outputs (unless {@code y} is null) and each window's arg-max. */
    static void maxForward(Geometry g, FloatBuffer x, int xi, FloatBuffer y, int yi, int[] am, int ai) {
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
                        float v = x.get(xi + row + col);
                        if (v > best || at < 0) {
                            best = v;
                            at = row + col;
                        }
                    }
                }
                if (y != null) {
                    y.put(yi + oy * g.ow + ox, at < 0 ? 0f : best);
                }
                am[ai + oy * g.ow + ox] = at;
            }
        }
    }

    /** Max pooling backward for one plane: zero, then each output's gradient added at its window's maximum. */
    static void maxBackward(Geometry g, FloatBuffer e, int ei, FloatBuffer d, int di, int[] am, int ai) {
        int size = g.h * g.w;
        for (int i = 0; i < size; i++) {
            d.put(di + i, 0f);
        }
        int outs = g.oh * g.ow;
        for (int o = 0; o < outs; o++) {
            int at = am[ai + o];
            if (at >= 0) {
                d.put(di + at, d.get(di + at) + e.get(ei + o));
            }
        }
    }

    /** The number an average-pooling window's sum is divided by. */
    private static int divisor(Geometry g, int ya, int yb, int xa, int xb) {
        return g.padInDivisor ? g.kh * g.kw : Math.max(1, (yb - ya) * (xb - xa));
    }

    static void avgForward(Geometry g, FloatBuffer x, int xi, FloatBuffer y, int yi) {
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
                        sum += x.get(xi + r * g.w + col);
                    }
                }
                y.put(yi + oy * g.ow + ox, (float) (sum / divisor(g, ya, yb, xa, xb)));
            }
        }
    }

    static void avgBackward(Geometry g, FloatBuffer e, int ei, FloatBuffer d, int di) {
        int size = g.h * g.w;
        for (int i = 0; i < size; i++) {
            d.put(di + i, 0f);
        }
        for (int oy = 0; oy < g.oh; oy++) {
            int y0 = oy * g.sh - g.ph;
            int ya = Math.max(y0, 0);
            int yb = Math.min(y0 + g.kh, g.h);
            for (int ox = 0; ox < g.ow; ox++) {
                int x0 = ox * g.sw - g.pw;
                int xa = Math.max(x0, 0);
                int xb = Math.min(x0 + g.kw, g.w);
                float share = e.get(ei + oy * g.ow + ox) / divisor(g, ya, yb, xa, xb);
                for (int r = ya; r < yb; r++) {
                    for (int col = xa; col < xb; col++) {
                        int at = di + r * g.w + col;
                        d.put(at, d.get(at) + share);
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

    /** The float buffer behind an array (index it from {@code a.offset()}). */
    static FloatBuffer floats(INDArray a) {
        return a.data().asNioFloat();
    }

    /**
     * Runs {@code body} for 0..n-1, split into as many contiguous chunks as ND4J's native thread count (the
     * threads cnnlab chose for this network, see {@link Backend}); the chunks run on the common fork-join pool.
     */
    static void forEach(int n, IntConsumer body) {
        int t = Math.max(1, Math.min(n, Math.min(Nd4j.getEnvironment().maxThreads(),
                Runtime.getRuntime().availableProcessors())));
        if (t == 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        IntStream.range(0, t).parallel().forEach(k -> {
            int to = (int) ((long) n * (k + 1) / t);
            for (int i = (int) ((long) n * k / t); i < to; i++) {
                body.accept(i);
            }
        });
    }
}
