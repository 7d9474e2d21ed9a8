package cnnlab.models.classic;

import cnnlab.models.NetConf;
import java.util.Arrays;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Common builder parameters of the classic networks of the book's section 18.0: input
 * {@code C×H×W}, class count, weight-initialisation seed and updater. Each subclass is one network
 * and returns from {@link #build()} a {@link NetConf.Chain} or, for a net that branches, a {@link NetConf.Graph}.
 *
 * @param <T> the concrete builder, so that setters chain
 */
public abstract class ClassicNet<T extends ClassicNet<T>> {
    protected int channels = 3;
    protected int height = 224;
    protected int width = 224;
    protected int classes = 1000;
    protected long seed = 42;
    protected IUpdater updater = new Nesterovs(0.01, 0.9);

    protected ClassicNet() {
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** Input channels, height and width (default 3×224×224). */
    public T input(int c, int h, int w) {
        if (c <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("input " + c + "x" + h + "x" + w + " must be positive");
        }
        channels = c;
        height = h;
        width = w;
        return self();
    }

    /** Number of classes of the softmax output (default 1000). */
    public T classes(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("classes must be positive, got " + n);
        }
        classes = n;
        return self();
    }

    public T seed(long s) {
        seed = s;
        return self();
    }

    /** Updater of every layer (default Nesterov momentum 0.9, lr 0.01). */
    public T updater(IUpdater u) {
        updater = u;
        return self();
    }

    /**
     * Switches to the network's small-image variant: the CIFAR-10 one (3×32×32, 10 classes, with
     * whatever stem change the net needs), or MNIST's 1×28×28 for LeNet-5.
     *
     * @throws UnsupportedOperationException if the net has no such variant
     */
    public abstract T small();

    /** The DL4J configuration: a chain or, for the nets that branch, a graph. */
    public abstract NetConf build();

    public int[] inputShape() {
        return new int[] {channels, height, width};
    }

    public int classes() {
        return classes;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + Arrays.toString(inputShape()) + "->" + classes;
    }
}
