package cnnlab.models.classic;

import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A loss multiplied by a constant weight: score and gradient of {@code loss} times {@code weight}.
 * GoogLeNet adds its auxiliary classifiers' losses "with a discount weight (0.3)" (Szegedy et al. 2015,
 * section 5); each auxiliary output layer carries {@code new ScaledLoss(0.3, new LossMCXENT())}.
 *
 * <p>Serialises with DL4J's JSON (its shaded Jackson): no-arg constructor, two {@code @JsonProperty} fields.
 */
public final class ScaledLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    @JsonProperty
    private double weight;
    @JsonProperty
    private ILossFunction loss;

    /** For Jackson. */
    public ScaledLoss() {
        this(1.0, new LossMCXENT());
    }

    public ScaledLoss(double weight, ILossFunction loss) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("loss weight must be finite and >= 0, got " + weight);
        }
        this.weight = weight;
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    public double weight() {
        return weight;
    }

    public ILossFunction loss() {
        return loss;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask, boolean average) {
        return weight * loss.computeScore(labels, preOutput, fn, mask, average);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
        return loss.computeScoreArray(labels, preOutput, fn, mask).muli(weight);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
        return loss.computeGradient(labels, preOutput, fn, mask).muli(weight);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation fn,
                                                          INDArray mask, boolean average) {
        Pair<Double, INDArray> p = loss.computeGradientAndScore(labels, preOutput, fn, mask, average);
        return new Pair<>(weight * p.getFirst(), p.getSecond().muli(weight));
    }

    @Override
    public String name() {
        return weight + "x" + loss.name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScaledLoss s && s.weight == weight && s.loss.equals(loss);
    }

    @Override
    public int hashCode() {
        return Objects.hash(weight, loss);
    }

    @Override
    public String toString() {
        return "ScaledLoss(" + name() + ")";
    }
}
