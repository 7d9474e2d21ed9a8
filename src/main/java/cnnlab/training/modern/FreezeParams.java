package cnnlab.training.modern;

import cnnlab.training.Net;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps parameters fixed that DL4J has no switch for: the listed gradients (e.g. every batch norm's
 * {@code gamma}: airbench94's {@code BatchNorm(weight=False)}; DL4J's {@code lockGammaBeta} would also
 * fix beta, which must train) are zeroed before the updater sees them (the step and, with no weight
 * decay on them, the momentum stay zero); the listed "freeze later" parameters (the whitening bias,
 * trained for its first 3 epochs) are not changed by the optimiser from step {@code freezeStep} (0-based)
 * on: saved before each such step and restored after it, like PyTorch's {@code requires_grad = False}
 * (airbench94's weight averaging, a listener added later, still moves them, as in the original).
 *
 * <p>With {@code stopBelow = n}, the first {@code n} layers have nothing left to train from {@code freezeStep} on
 * (the whitening convolution: its filters are always frozen, its bias from then on), so from that step the network
 * stops its backward pass above them, as PyTorch's autograd does for tensors that need no gradient
 * ({@link Net#stopBackpropBelow}), with the same parameters ({@code CifarFastTest}): about 2% of a cifar10-fast
 * step by the work removed (docs/PERFORMANCE.md, "the frozen whitening layer").
 */
public final class FreezeParams extends BaseTrainingListener {
    private final List<String> zeroGradients;
    private final int stopBelow;
    private boolean stopped;
    private final List<INDArray> later;
    private final long freezeStep;
    private final List<INDArray> saved = new ArrayList<>();

    /**
     * @param zeroGradients gradient keys ({@code "<layer>_<param>"}) always zeroed
     * @param later parameter views to hold fixed from step {@code freezeStep} (0-based) on
     * @param stopBelow how many of the first layers have no parameter left to train from {@code freezeStep} on
     *     (their backward pass is then skipped); 0 for none
     */
    public FreezeParams(List<String> zeroGradients, List<INDArray> later, long freezeStep, int stopBelow) {
        this.zeroGradients = new ArrayList<>(zeroGradients);
        this.later = List.copyOf(later);
        this.freezeStep = freezeStep;
        this.stopBelow = stopBelow;
    }

    @Override
    public void onGradientCalculation(Model model) {
        Gradient g = model.gradient();
        for (String k : zeroGradients) {
            INDArray a = g.getGradientFor(k);
            if (a == null) {
                throw new IllegalStateException("no gradient named " + k);
            }
            a.assign(0);
        }
        saved.clear();
        if (BaseOptimizer.getIterationCount(model) >= freezeStep) {
            later.forEach(p -> saved.add(p.dup()));
        }
    }

    /** Undoes this step's change to the "freeze later" parameters (listeners added after this one still see them). */
    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        for (int i = 0; i < saved.size(); i++) {
            later.get(i).assign(saved.get(i));
        }
        if (stopBelow > 0 && !stopped && iteration + 1 >= freezeStep) {
            Net.stopBackpropBelow((MultiLayerNetwork) model, stopBelow);
            // those layers' gradients are no longer computed, so there are none to zero
            zeroGradients.removeIf(k -> Integer.parseInt(k.substring(0, k.indexOf('_'))) < stopBelow);
            stopped = true;
        }
    }
}
