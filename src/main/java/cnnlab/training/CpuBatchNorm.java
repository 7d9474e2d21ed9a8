package cnnlab.training;

import java.util.Collections;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation (Ioffe &amp; Szegedy 2015) for DL4J's {@code BatchNormalization} layer, NCHW float data,
 * written out in Java: per channel, the batch mean and (biased) variance in one pass, then
 * {@code y = gamma (x - mean) / sqrt(var + eps) + beta}; backward, with {@code xhat = (x - mean) / std} and
 * {@code M} values per channel, {@code dbeta = sum dy}, {@code dgamma = sum dy xhat} and
 * {@code dx = gamma / std (dy - dbeta / M - xhat dgamma / M)}.
 *
 * <p>It plugs into the layer as its helper (DL4J's {@code BatchNormalizationHelper} interface; the layer keeps
 * the running statistics, the parameters and the gradients' bookkeeping). Why: DL4J 1.0.0-M2.1's oneDNN helper
 * computes the batch statistics with separate ND4J reductions and its {@code batchnorm_bp} op took 1.0 s of an
 * 8 s ResNet-18 training step here where PyTorch's batch-norm backward took 0.06 s ({@code docs/PERFORMANCE.md}).
 * Same results as DL4J's own layer ({@code CpuBatchNormTest}). What it does not cover (NHWC, other data types,
 * non-contiguous input, locked gamma/beta on dense input) it declines, and the layer runs its own code.
 */
final class CpuBatchNorm implements BatchNormalizationHelper {
    /** The last training forward pass's batch mean and variance, per channel (the layer reads them back). */
    private INDArray meanCache;
    private INDArray varCache;

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return meanCache;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return varCache;
    }

    private static boolean covered(INDArray x, INDArray gamma, INDArray beta, CNN2DFormat format) {
        return x.rank() == 4 && x.dataType() == DataType.FLOAT && format == CNN2DFormat.NCHW && gamma != null
                && beta != null && CpuPooling.contiguous(x) && x.length() <= Integer.MAX_VALUE;
    }

    @Override
    public INDArray preOutput(INDArray in, boolean training, long[] shape, INDArray gamma, INDArray beta,
            INDArray mean, INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!covered(in, gamma, beta, format)) {
            return null;
        }
        int n = (int) in.size(0);
        int c = (int) in.size(1);
        int hw = (int) (in.size(2) * in.size(3));
        CpuPooling.Planes x = new CpuPooling.Planes(in, hw);
        float[] m = new float[c];
        float[] v = new float[c];
        if (training) {
            CpuPooling.forEachChunk(c, (from, to) -> {
                float[] b = x.scratch();
                for (int ch = from; ch < to; ch++) {
                    double s = 0;
                    double q = 0;
                    for (int i = 0; i < n; i++) {
                        x.read(i * c + ch, b);
                        for (int j = 0; j < hw; j++) {
                            double a = b[j];
                            s += a;
                            q += a * a;
                        }
                    }
                    double count = (double) n * hw;
                    double mu = s / count;
                    m[ch] = (float) mu;
                    v[ch] = (float) Math.max(0, q / count - mu * mu);
                }
            });
            if (meanCache == null || meanCache.length() != c) {
                try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    meanCache = Nd4j.createUninitialized(DataType.FLOAT, c);
                    varCache = Nd4j.createUninitialized(DataType.FLOAT, c);
                }
            }
            put(meanCache, m);
            put(varCache, v);
        } else {
            get(mean, m);
            get(var, v);
        }
        float[] g = new float[c];
        float[] b = new float[c];
        get(gamma, g);
        get(beta, b);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, in.shape(), 'c');
        CpuPooling.Planes y = new CpuPooling.Planes(out, hw);
        CpuPooling.forEachChunk(c, (from, to) -> {
            float[] bx = x.scratch();
            for (int ch = from; ch < to; ch++) {
                float scale = (float) (g[ch] / Math.sqrt(v[ch] + eps));
                float shift = b[ch] - m[ch] * scale;
                for (int i = 0; i < n; i++) {
                    x.read(i * c + ch, bx);
                    for (int j = 0; j < hw; j++) {
                        bx[j] = bx[j] * scale + shift;
                    }
                    y.write(i * c + ch, bx);
                }
            }
        });
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
            INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps, CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        if (!covered(input, gamma, beta, format) || meanCache == null || meanCache.length() != input.size(1)
                || epsilon.dataType() != DataType.FLOAT || !java.util.Arrays.equals(epsilon.shape(), input.shape())) {
            return null;
        }
        INDArray dy = CpuPooling.contiguous(epsilon) ? epsilon : epsilon.dup('c');
        int n = (int) input.size(0);
        int c = (int) input.size(1);
        int hw = (int) (input.size(2) * input.size(3));
        float[] m = new float[c];
        float[] v = new float[c];
        float[] g = new float[c];
        get(meanCache, m);
        get(varCache, v);
        get(gamma, g);
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        CpuPooling.Planes x = new CpuPooling.Planes(input, hw);
        CpuPooling.Planes e = new CpuPooling.Planes(dy, hw);
        CpuPooling.Planes d = new CpuPooling.Planes(dx, hw);
        double count = (double) n * hw;
        CpuPooling.forEachChunk(c, (from, to) -> {
            float[] bx = x.scratch();
            float[] be = e.scratch();
            for (int ch = from; ch < to; ch++) {
                double sumDy = 0;
                double sumDyX = 0;
                for (int i = 0; i < n; i++) {
                    x.read(i * c + ch, bx);
                    e.read(i * c + ch, be);
                    for (int j = 0; j < hw; j++) {
                        sumDy += be[j];
                        sumDyX += (double) be[j] * bx[j];
                    }
                }
                double invStd = 1.0 / Math.sqrt(v[ch] + eps);
                double dg = (sumDyX - m[ch] * sumDy) * invStd; // sum dy * xhat
                dGamma[ch] = (float) dg;
                dBeta[ch] = (float) sumDy;
                // dx = gamma*invStd*(dy - sumDy/M - xhat*dg/M), xhat = (x - mean)*invStd
                float a = (float) (g[ch] * invStd);
                float k = (float) (dg / count * invStd);
                float mu = m[ch];
                float shift = (float) (sumDy / count);
                for (int i = 0; i < n; i++) {
                    x.read(i * c + ch, bx);
                    e.read(i * c + ch, be);
                    for (int j = 0; j < hw; j++) {
                        be[j] = a * (be[j] - shift - (bx[j] - mu) * k);
                    }
                    d.write(i * c + ch, be);
                }
            }
        });
        put(dGammaView, dGamma);
        put(dBetaView, dBeta);
        Gradient grad = new DefaultGradient();
        grad.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        grad.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(grad, dx);
    }

    /** Copies a small vector (any shape with {@code dst.length} elements) into a Java array. */
    private static void get(INDArray src, float[] dst) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = src.getFloat(i);
        }
    }

    private static void put(INDArray dst, float[] src) {
        for (int i = 0; i < src.length; i++) {
            dst.putScalar(i, src[i]);
        }
    }
}
