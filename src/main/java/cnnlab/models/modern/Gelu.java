package cnnlab.models.modern;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * The exact GELU, {@code x·Φ(x) = x/2 · (1 + erf(x/√2))} (Hendrycks and Gimpel 2016, "Gaussian Error Linear
 * Units"), PyTorch's {@code nn.GELU()} default and airbench94's activation; its derivative is
 * {@code Φ(x) + x·φ(x)}.
 *
 * <p>Why not ND4J's {@code ActivationGELU}: in 1.0.0-M2.1 its "precise" form (libnd4j's {@code PreciseGELU})
 * cubes the coefficient with the input, {@code tanh(√(2/π)(x + (0.044715·x)³))} instead of
 * {@code tanh(√(2/π)(x + 0.044715·x³))}, and its derivative ({@code PreciseGELUDerivative}) does the same with
 * other constants, so forward and backward are neither GELU nor each other's derivative; its other form is the
 * sigmoid approximation {@code x·σ(1.702x)}. Both call scalar {@code powf}/{@code tanhf}/{@code coshf} per
 * element: 33% of {@code cifar10-fast}'s sampled CPU time ({@code bench/async_profile.sh}).
 *
 * <p>Here: {@code erf} is the rational approximation of Eigen and XLA (odd degree-13 over even degree-8
 * polynomial on [-4, 4], ±1 beyond), and {@code φ(x) = e^{-x²/2}/√(2π)} is {@code (e^{-x²/32})^16} with a
 * degree-7 polynomial for the inner exponential (|x| clamped to 6, where {@code x·φ(x)} < 1e-7): only
 * multiplications, additions and one division, in float loops the JIT compiler turns into AVX2 code
 * (about 1 ns per element forward and 2 backward on one core, against libnd4j's 20; {@code GeluTest} checks the
 * values against a double-precision reference to 1e-6 and the derivative against finite differences). Double
 * arrays (gradient checks) take the same formulas in double with {@code Math.exp}. Float work is split across
 * the common fork-join pool's threads and the calling one.
 */
public final class Gelu extends BaseActivationFunction {
    private static final long serialVersionUID = 1L;
    private static final float INV_SQRT2 = 0.70710678f;
    private static final float INV_SQRT_2PI = 0.39894228f;
    private static final int BLOCK = 8192;

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        apply(in, null);
        return in;
    }

    /** dL/dz = ε ⊙ (Φ(z) + z·φ(z)), written over {@code in}. */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        apply(in, epsilon);
        return new Pair<>(in, null);
    }

    /** In place: {@code in ← gelu(in)}, or with {@code eps}, {@code in ← eps ⊙ gelu'(in)}. */
    private static void apply(INDArray in, INDArray eps) {
        INDArray x = dense(in);
        INDArray e = eps == null ? null : dense(eps.castTo(in.dataType()));
        long n = x.length();
        if (x.dataType() == DataType.FLOAT && n <= Integer.MAX_VALUE) {
            FloatBuffer xb = x.data().asNioFloat(), eb = e == null ? null : e.data().asNioFloat();
            int xo = (int) x.offset(), eo = e == null ? 0 : (int) e.offset(), len = (int) n;
            int t = Math.max(1, Math.min(ForkJoinPool.getCommonPoolParallelism() + 1, (len + BLOCK - 1) / BLOCK));
            IntStream.range(0, t).parallel().forEach(k -> {
                float[] a = new float[BLOCK], g = new float[BLOCK], s = new float[BLOCK];
                for (int from = (int) ((long) len * k / t), to = (int) ((long) len * (k + 1) / t); from < to; from += BLOCK) {
                    int m = Math.min(BLOCK, to - from);
                    xb.get(xo + from, a, 0, m);
                    if (eb == null) {
                        forward(a, m);
                    } else {
                        eb.get(eo + from, g, 0, m);
                        backward(a, g, s, m);
                    }
                    xb.put(xo + from, a, 0, m);
                }
            });
        } else {
            INDArray xd = x.castTo(DataType.DOUBLE).dup('c');
            double[] a = xd.data().asDouble();
            double[] g = e == null ? null : e.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            for (int i = 0; i < a.length; i++) {
                double v = a[i], cdf = 0.5 * (1 + erf(v / Math.sqrt(2)));
                a[i] = g == null ? v * cdf : g[i] * (cdf + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI));
            }
            x.assign(org.nd4j.linalg.factory.Nd4j.create(a, x.shape(), 'c'));
        }
        if (x != in) {
            in.assign(x);
        }
    }

    /** The array itself when it is dense in C order from its offset, else a dense copy. */
    private static INDArray dense(INDArray a) {
        return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) ? a : a.dup('c');
    }

    /** {@code a ← a·Φ(a)}. */
    static void forward(float[] a, int n) {
        for (int i = 0; i < n; i++) {
            float x = a[i];
            a[i] = 0.5f * x * (1f + erf(x * INV_SQRT2));
        }
    }

    /** {@code a ← g ⊙ (Φ(a) + a·φ(a))}; {@code s} is scratch. Two loops: one would be too long for the JIT to vectorise. */
    static void backward(float[] a, float[] g, float[] s, int n) {
        for (int i = 0; i < n; i++) {
            s[i] = 0.5f * (1f + erf(a[i] * INV_SQRT2));
        }
        for (int i = 0; i < n; i++) {
            float x = Math.max(-6f, Math.min(6f, a[i]));
            float w = x * x * (1f / 32);
            float p = w * -1.1193922191e-04f + 1.2409363354e-03f; // e^{-w}, w in [0, 1.125]: relative error 2e-9
            p = w * p - 8.1935284896e-03f;
            p = w * p + 4.1591250091e-02f;
            p = w * p - 1.6664408235e-01f;
            p = w * p + 4.9999660700e-01f;
            p = w * p - 9.9999980081e-01f;
            p = w * p + 9.9999999801e-01f;
            p *= p; // e^{-2w}
            p *= p;
            p *= p;
            p *= p; // e^{-16w} = e^{-x²/2}
            a[i] = g[i] * (s[i] + x * p * INV_SQRT_2PI);
        }
    }

    /** Eigen's / XLA's float erf: {@code x·P(x²)/Q(x²)} on [-4, 4] (±1 beyond, to float precision). */
    static float erf(float v) {
        float x = Math.max(-4f, Math.min(4f, v));
        float x2 = x * x;
        float p = x2 * -2.72614225801306e-10f + 2.77068142495902e-08f;
        p = x2 * p - 2.10102402082508e-06f;
        p = x2 * p - 5.69250639462346e-05f;
        p = x2 * p - 7.34990630326855e-04f;
        p = x2 * p - 2.95459980854025e-03f;
        p = x2 * p - 1.60960333262415e-02f;
        float q = x2 * -1.45660718464996e-05f - 2.13374055278905e-04f;
        q = x2 * q - 1.68282697438203e-03f;
        q = x2 * q - 7.37332916720468e-03f;
        q = x2 * q - 1.42647390514189e-02f;
        return x * p / q;
    }

    /** erf in double: its Maclaurin series up to |x| < 3, the continued fraction of erfc beyond (error < 1e-14). */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 3) {
            double term = x, sum = x;
            for (int n = 1; n < 100 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -x * x / n;
                sum += term / (2 * n + 1);
            }
            return sum * 2 / Math.sqrt(Math.PI);
        }
        double f = 0; // erfc(ax) = e^{-x²}/√π · 1/(ax + (1/2)/(ax + 1/(ax + (3/2)/(ax + ...))))
        for (int k = 60; k >= 1; k--) {
            f = (k / 2.0) / (ax + f);
        }
        double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
        return Math.signum(x) * (1 - erfc);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Gelu;
    }

    @Override
    public int hashCode() {
        return Gelu.class.hashCode();
    }

    @Override
    public String toString() {
        return "gelu";
    }
}
