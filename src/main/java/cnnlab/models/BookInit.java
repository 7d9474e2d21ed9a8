package cnnlab.models;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The weight initialisations of the book's own framework (chapters 17-18, {@code MiniFramework}),
 * which the results of 18.1-18.5 were obtained with. Biases start at zero (DL4J's default).
 *
 * <ul>
 *   <li>Fully connected, weights {@code [nIn, nOut]} ({@code WeightsBias_2_1.InitialParameters}):
 *       Xavier = U(-t, t) with t = √(6 / (nIn + nOut)), DL4J's {@code XAVIER_UNIFORM};
 *       MSRA = N(0, √(2 / nOut)), scaled by the number of <em>outputs</em>.</li>
 *   <li>Convolution, weights {@code [out, in, kh, kw]} ({@code ConvWeightsBias.InitialConvParameters}):
 *       the book's code takes its "inputs" and "outputs" from the kernel's height and width, not from
 *       the channel counts. Xavier = U(-t, t) with t = √(6 / (kh + kw)), so t = 1 for every 3×3 kernel
 *       and 0.77 for 5×5, whatever the channels; MSRA = N(0, √(2 / kh · kw)) (Python evaluates
 *       {@code 2/kh*kw} left to right), so σ = √2 for square kernels. These are several times the
 *       Glorot/He scales DL4J would use for the same layers (for Fashion-MNIST's 32@3×3 layer, DL4J's
 *       Xavier gives t = 0.14).</li>
 * </ul>
 *
 * <p>Jackson-serialisable (one field, no-argument constructor), so saved models reload.
 */
public final class BookInit implements IWeightInit {
    /** The book's {@code InitialMethod}. */
    public enum Method {
        XAVIER,
        MSRA
    }

    public static final BookInit XAVIER = new BookInit(Method.XAVIER);
    public static final BookInit MSRA = new BookInit(Method.MSRA);

    private Method method;

    public BookInit(Method method) {
        this.method = method;
    }

    /** For Jackson. */
    private BookInit() {
    }

    public Method getMethod() {
        return method;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        double scale = scale(method, shape);
        var dist = method == Method.XAVIER ? Nd4j.getDistributions().createUniform(-scale, scale)
                : Nd4j.getDistributions().createNormal(0, scale);
        Nd4j.rand(paramView, dist);
        return paramView.reshape(order, shape);
    }

    /** Xavier's bound t or MSRA's standard deviation σ for a weight array of this shape. */
    public static double scale(Method method, long[] shape) {
        double in, out;
        if (shape.length == 4) { // [out, in, kh, kw]: the book's code reads shape[2] and shape[3]
            in = shape[2];
            out = shape[3];
            return method == Method.XAVIER ? Math.sqrt(6 / (in + out)) : Math.sqrt(2 / in * out);
        }
        if (shape.length != 2) {
            throw new IllegalArgumentException("the book's initialisation covers [nIn, nOut] and [out, in, kh, kw] "
                    + "weights, not shape " + java.util.Arrays.toString(shape));
        }
        in = shape[0];
        out = shape[1];
        return method == Method.XAVIER ? Math.sqrt(6 / (in + out)) : Math.sqrt(2 / out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BookInit b && b.method == method;
    }

    @Override
    public int hashCode() {
        return method.hashCode();
    }

    @Override
    public String toString() {
        return "BookInit(" + method + ")";
    }
}
