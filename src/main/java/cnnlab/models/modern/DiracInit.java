package cnnlab.models.modern;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default convolution initialisation, uniform in {@code ±1/sqrt(fanIn)}, with the first
 * {@code min(out, in)} filters replaced by the identity (PyTorch {@code nn.init.dirac_} on
 * {@code w[:in]}): filter {@code i} passes input channel {@code i} through unchanged from the kernel's
 * centre. airbench94's {@code Conv.reset_parameters}; a block then starts close to the identity.
 */
public final class DiracInit implements IWeightInit {
    private static final long serialVersionUID = 1L;

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        double a = 1.0 / Math.sqrt(fanIn);
        float[] w = Nd4j.rand(DataType.FLOAT, paramView.length()).muli(2 * a).subi(a).data().asFloat();
        if (shape.length == 4 && order == 'c') {
            long in = shape[1], kh = shape[2], kw = shape[3], per = in * kh * kw;
            for (long o = 0; o < Math.min(shape[0], in); o++) {
                java.util.Arrays.fill(w, (int) (o * per), (int) ((o + 1) * per), 0f);
                w[(int) (o * per + o * kh * kw + (kh / 2) * kw + kw / 2)] = 1f;
            }
        }
        paramView.assign(Nd4j.create(w, paramView.shape(), 'c'));
        return paramView.reshape(order, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiracInit;
    }

    @Override
    public int hashCode() {
        return 17;
    }
}
