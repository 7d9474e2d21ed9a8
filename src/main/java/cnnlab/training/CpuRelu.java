package cnnlab.training;

import cnnlab.models.BookRelu;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's ReLU activation layer ({@code ActivationLayer} with {@code max(0, z)}, the book's ReLU of 17.1 and
 * chapter 18's nets) with a cheaper training step, the same results to the bit ({@code CpuLayersTest}).
 *
 * <p>In DL4J 1.0.0-M2.1 the layer's forward pass copies its input (in training, or into the next workspace in
 * inference) and applies ReLU to the copy, and its backward pass copies the input again and runs libnd4j's {@code relu_bp} on it, which
 * measured 2.6 ms a step on mnist-cnn's three ReLUs against PyTorch's 0.2 ms ({@code bench/profile.sh}).
 * Here the forward pass is one ReLU op from the input into the output array, and the backward pass is one Java
 * pass: the incoming gradient where the input is above 0, else 0, written straight into the gradient array.
 *
 * <p>{@link OneDnnHelpers#attach} puts this class in place of each {@code ActivationLayer} whose activation is a
 * plain ReLU ({@link ActivationReLU} without max, threshold or slope, or {@link BookRelu}); what it does not cover
 * (non-float or non-contiguous arrays) runs DL4J's code.
 */
final class CpuRelu extends ActivationLayer {

    CpuRelu(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether a layer's activation is the plain ReLU this class computes. */
    static boolean covers(IActivation fn) {
        return fn instanceof BookRelu || new ActivationReLU().equals(fn);
    }

    private boolean covered(INDArray a) {
        return a != null && a.dataType() == DataType.FLOAT && CpuPooling.contiguous(a)
                && a.length() <= Integer.MAX_VALUE;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!covered(input)) {
            return super.activate(training, workspaceMgr);
        }
        assertInputSet(false);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, input.shape(), 'c');
        Nd4j.getExecutioner().exec(new RectifiedLinear(input, out, 0.0));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!covered(input) || !covered(epsilon) || !java.util.Arrays.equals(epsilon.shape(), input.shape())) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        int n = (int) input.length();
        int block = 8192;
        CpuPooling.Planes x = new CpuPooling.Planes(input, block);
        CpuPooling.Planes e = new CpuPooling.Planes(epsilon, block);
        CpuPooling.Planes d = new CpuPooling.Planes(dx, block);
        CpuPooling.forEachChunk((n + block - 1) / block, (from, to) -> {
            float[] xb = x.scratch();
            float[] eb = e.scratch();
            for (int b = from; b < to; b++) {
                int len = Math.min(block, n - b * block);
                x.read(b, xb, len);
                e.read(b, eb, len);
                for (int i = 0; i < len; i++) { // an int mask, not a float choice: no branch to mispredict
                    int keep = xb[i] > 0f ? -1 : 0;
                    eb[i] = Float.intBitsToFloat(Float.floatToRawIntBits(eb[i]) & keep);
                }
                d.write(b, eb, len);
            }
        });
        return new Pair<>(new DefaultGradient(), dx);
    }
}
