package cnnlab.models.modern;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * {@code softmax(scale * z)}: the softmax of logits multiplied by a constant. airbench94 ends its
 * network with {@code Mul(1/9)} after the bias-free linear layer (Jordan 2024, "94% on CIFAR-10 in
 * 3.29 seconds on a single GPU", section 3); DL4J's output layer has no such multiplier, so the scale
 * sits in the activation. Scaling the logits is not the same as scaling the weights' initialisation:
 * it divides the weights' effective learning rate by {@code scale^-2}.
 */
public final class ScaledSoftmax extends BaseActivationFunction {
    private static final long serialVersionUID = 1L;

    @JsonProperty
    private double scale;

    /** For Jackson. */
    public ScaledSoftmax() {
        this(1.0);
    }

    public ScaledSoftmax(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("logit scale must be positive, got " + scale);
        }
        this.scale = scale;
    }

    public double scale() {
        return scale;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        in.muli(scale);
        Nd4j.getExecutioner().exec(new SoftMax(in, in));
        return in;
    }

    /** dL/dz = scale * p ⊙ (ε - Σ_k ε_k p_k), the softmax Jacobian times the logit scale. */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        INDArray p = getActivation(in.dup(), true);
        INDArray dot = epsilon.mul(p).sum(true, 1);
        INDArray dz = epsilon.subColumnVector(dot).muli(p).muli(scale);
        return new Pair<>(dz, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScaledSoftmax s && s.scale == scale;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(scale);
    }

    @Override
    public String toString() {
        return "softmax(" + scale + "*z)";
    }
}
