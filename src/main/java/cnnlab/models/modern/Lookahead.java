package cnnlab.models.modern;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * airbench94's weight averaging ({@code LookaheadState}; Zhang et al. 2019, "Lookahead Optimizer", with
 * an exponential moving average as the slow weights): every {@code every} steps the average moves
 * towards the current weights, {@code avg = decay·avg + (1 - decay)·w}, and the network continues from
 * the average ({@code w = avg}); the decay grows over the run, {@code 0.95^5 · (step/total)^3}. After
 * the last step the network takes the average (airbench's final {@code update(decay=1.0)}). All of
 * DL4J's parameters are averaged, batch norm's running mean and variance included, as airbench's
 * {@code state_dict} does.
 *
 * <p>Departure: a resumed run starts a new average from the resumed weights (the average is not checkpointed).
 */
public final class Lookahead extends BaseTrainingListener {
    public static final int EVERY = 5;

    private final long totalSteps;
    private INDArray average;

    public Lookahead(INDArray initialParams, long totalSteps) {
        this.average = initialParams.dup();
        this.totalSteps = totalSteps;
    }

    /** airbench94's {@code alpha_schedule[step]}. */
    public double decay(long step) {
        return Math.pow(0.95, EVERY) * Math.pow(step / (double) totalSteps, 3);
    }

    /** The averaged weights (a copy). */
    public INDArray average() {
        return average.dup();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long step = iteration + 1L; // steps done
        INDArray w = model.params();
        if (step % EVERY == 0) {
            double d = decay(step);
            average.muli(d).addi(w.mul(1 - d));
            w.assign(average);
        }
        if (step == totalSteps) {
            w.assign(average);
        }
    }
}
