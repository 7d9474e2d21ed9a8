package cnnlab.models;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The book's "Momentum" optimiser ({@code Optimizer_1_0.Momentum} of its framework): classical
 * (heavy-ball) momentum, {@code v ← α·v − η·g; θ ← θ + v} with α = 0.9 and v starting at 0.
 *
 * <p>DL4J ships only Nesterov momentum ({@code Nesterovs}), which evaluates the step differently
 * ({@code θ ← θ − α·v_prev + (1 + α)·v}); this updater is the book's rule exactly. DL4J subtracts the
 * updater's output from the parameters, so the output is {@code −v}.
 */
public final class BookMomentum implements IUpdater {
    private double learningRate;
    private double momentum = 0.9;

    public BookMomentum(double learningRate) {
        this.learningRate = learningRate;
    }

    /** For Jackson. */
    private BookMomentum() {
    }

    public double getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public double getMomentum() {
        return momentum;
    }

    public void setMomentum(double momentum) {
        this.momentum = momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater<BookMomentum> instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater<BookMomentum> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        Updater u = new Updater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public BookMomentum clone() {
        BookMomentum c = new BookMomentum(learningRate);
        c.momentum = momentum;
        return c;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        if (lrSchedule != null) {
            throw new UnsupportedOperationException("the book's Momentum has a fixed learning rate");
        }
        this.learningRate = lr;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BookMomentum m && m.learningRate == learningRate && m.momentum == momentum;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, momentum);
    }

    @Override
    public String toString() {
        return "BookMomentum(lr=" + learningRate + ", momentum=" + momentum + ")";
    }

    /** The state {@code v}: one value per parameter, a view into DL4J's updater state array. */
    static final class Updater implements GradientUpdater<BookMomentum> {
        static final String V = "V";
        private final BookMomentum config;
        private INDArray v;

        Updater(BookMomentum config) {
            this.config = config;
        }

        @Override
        public BookMomentum getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            if (state == null || state.size() != 1 || !state.containsKey(V)) {
                throw new IllegalStateException("BookMomentum expects its one state array \"" + V + "\", got "
                        + (state == null ? null : state.keySet()));
            }
            v = state.get(V);
            if (initialize) {
                v.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of(V, v);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
            if (!viewArray.isRowVectorOrScalar()) {
                throw new IllegalArgumentException("state view must be a row vector, got " + viewArray.shapeInfoToString());
            }
            if (initialize) {
                viewArray.assign(0);
            }
            v = viewArray.reshape(gradientOrder, gradientShape);
        }

        /** {@code v ← α·v − η·g}, then hands DL4J {@code −v} to subtract. */
        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (v == null) {
                throw new IllegalStateException("BookMomentum: state not set");
            }
            v.muli(config.momentum).subi(gradient.muli(config.getLearningRate(iteration, epoch)));
            gradient.assign(v).negi();
        }
    }
}
