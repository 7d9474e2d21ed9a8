package cnnlab.models.modern;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cross-entropy with label smoothing (Szegedy et al. 2016, "Rethinking the Inception Architecture",
 * section 7): the one-hot target {@code y} is replaced by {@code (1 - eps) y + eps / K}; PyTorch's
 * {@code CrossEntropyLoss(label_smoothing=eps)}. DL4J's {@code LossMCXENT} has no smoothing, so it is
 * written here. The output activation must be a softmax ({@link ActivationSoftmax} or
 * {@link ScaledSoftmax}); the gradient with respect to the logits is the fused, stable
 * {@code scale * (p - y_smooth)}. The score is the mean over the mini-batch, as DL4J's losses are.
 */
public final class SmoothedCrossEntropy implements ILossFunction {
    private static final long serialVersionUID = 1L;
    private static final double CLIP = 1e-10;

    @JsonProperty
    private double smoothing;

    /** For Jackson. */
    public SmoothedCrossEntropy() {
        this(0);
    }

    public SmoothedCrossEntropy(double smoothing) {
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + smoothing);
        }
        this.smoothing = smoothing;
    }

    public double smoothing() {
        return smoothing;
    }

    /** The smoothed targets for one-hot (or already soft) labels. */
    public INDArray smooth(INDArray labels) {
        long k = labels.size(1);
        return labels.mul(1 - smoothing).addi(smoothing / k);
    }

    private static double scaleOf(IActivation fn) {
        if (fn instanceof ScaledSoftmax s) {
            return s.scale();
        }
        if (fn instanceof ActivationSoftmax) {
            return 1.0;
        }
        throw new IllegalStateException("SmoothedCrossEntropy needs a softmax output activation, got " + fn);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
        scaleOf(fn);
        INDArray p = fn.getActivation(preOutput.dup(), true);
        INDArray logp = Transforms.log(Transforms.max(p, CLIP, false), false);
        INDArray s = smooth(labels).muli(logp).sum(true, 1).negi();
        if (mask != null) {
            s.muli(mask.reshape(s.shape()));
        }
        return s;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask, boolean average) {
        double sum = computeScoreArray(labels, preOutput, fn, mask).sumNumber().doubleValue();
        return average ? sum / labels.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
        double scale = scaleOf(fn);
        INDArray p = fn.getActivation(preOutput.dup(), true);
        INDArray g = p.subi(smooth(labels)).muli(scale);
        if (mask != null) {
            g.muliColumnVector(mask.reshape(mask.length(), 1));
        }
        return g;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation fn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, fn, mask, average),
                computeGradient(labels, preOutput, fn, mask));
    }

    @Override
    public String name() {
        return "smoothed-xent(" + smoothing + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmoothedCrossEntropy s && s.smoothing == smoothing;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(smoothing);
    }

    @Override
    public String toString() {
        return "SmoothedCrossEntropy(" + smoothing + ")";
    }
}
