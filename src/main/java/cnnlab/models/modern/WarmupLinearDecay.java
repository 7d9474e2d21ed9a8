package cnnlab.models.modern;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A per-step triangular ("one-cycle") learning rate: from {@code start * peak} up linearly to
 * {@code peak} over the first {@code warmup} fraction of {@code totalSteps}, then linearly down to
 * {@code end * peak} at the last step. airbench94's {@code get_lr}: warm-up 23% from 0.2, decay to 0.07.
 * Steps past the end stay at {@code end * peak}.
 */
public final class WarmupLinearDecay implements ISchedule {
    private static final long serialVersionUID = 1L;

    @JsonProperty
    private double peak;
    @JsonProperty
    private long totalSteps;
    @JsonProperty
    private double warmup;
    @JsonProperty
    private double start;
    @JsonProperty
    private double end;

    /** For Jackson. */
    public WarmupLinearDecay() {
        this(1, 1, 0, 1, 1);
    }

    public WarmupLinearDecay(double peak, long totalSteps, double warmup, double start, double end) {
        if (totalSteps <= 0 || warmup < 0 || warmup >= 1) {
            throw new IllegalArgumentException("need totalSteps > 0 and warmup in [0, 1)");
        }
        this.peak = peak;
        this.totalSteps = totalSteps;
        this.warmup = warmup;
        this.start = start;
        this.end = end;
    }

    /** The multiplier of {@code peak} at 0-based step {@code step}. */
    public double factor(long step) {
        long warm = (long) (totalSteps * warmup);
        if (step < warm) {
            double f = step / (double) warm;
            return start * (1 - f) + f;
        }
        double f = Math.min(1.0, (step - warm) / (double) Math.max(1, totalSteps - warm));
        return (1 - f) + end * f;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return peak * factor(iteration);
    }

    @Override
    public ISchedule clone() {
        return new WarmupLinearDecay(peak, totalSteps, warmup, start, end);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarmupLinearDecay w && w.peak == peak && w.totalSteps == totalSteps
                && w.warmup == warmup && w.start == start && w.end == end;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(totalSteps) * 31 + Double.hashCode(peak);
    }
}
