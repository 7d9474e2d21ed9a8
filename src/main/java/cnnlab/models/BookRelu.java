package cnnlab.models;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The book's ReLU layer ({@code ActivationLayer(Relu())}): {@code max(0, z)} forward, the incoming
 * gradient where {@code z > 0} and 0 elsewhere backward; DL4J's {@link ActivationReLU} with one
 * allocation less.
 *
 * <p>In DL4J 1.0.0-M2.1 {@code ActivationReLU.backprop} writes the {@code relu_bp} op's result into a
 * newly allocated array ({@code in.ulike()}, outside the layer workspaces) on every call: 2.4 MB per
 * step for mnist-cnn's first ReLU, 11 MB for fashion-cnn's. DL4J's {@code ActivationLayer} already
 * passes the activation its own copy of the input ({@code workspaceMgr.dup(ACTIVATION_GRAD, input)}),
 * so this class runs the same op into that copy. The forward pass is DL4J's. Same results to the bit
 * ({@code BookReluTest}); the speed-up is in {@code docs/PERFORMANCE.md}. On the CPU backend with cnnlab's layers on,
 * {@code training.CpuRelu} takes the layer's place and does less still.
 */
public final class BookRelu extends BaseActivationFunction {
    private static final ActivationReLU DL4J = new ActivationReLU();

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return DL4J.getActivation(in, training);
    }

    /** DL4J's {@code relu_bp} op, written into {@code in} (the layer's own copy) instead of a new array. */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        Nd4j.getExecutioner().exec(new RectifiedLinearDerivative(in, epsilon, in, 0.0));
        return new Pair<>(in, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BookRelu;
    }

    @Override
    public int hashCode() {
        return BookRelu.class.hashCode();
    }

    @Override
    public String toString() {
        return "relu";
    }
}
