package cnnlab.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolution forward and backward (book 17.1–17.4), dispatching to {@link DirectConv} or
 * {@link Im2colConv}. Arrays are NCHW, weights OIHW ({@code FilterCount, KernalCount, KernalHeight,
 * KernalWidth}), bias one value per filter. Gradients are plain sums over the batch (the book's 17.4
 * divides dW and dB by the batch size because its loss gradient is not yet averaged; DL4J's is).
 */
public final class Conv {
    private Conv() {
    }

    /**
     * What a forward pass leaves for the backward pass.
     *
     * @param x the input
     * @param y the output (NCHW)
     * @param colX the im2col matrix of {@code x} (im2col only, else null)
     */
    public record Forward(INDArray x, INDArray y, INDArray colX) {
    }

    /**
     * Gradients of one backward pass.
     *
     * @param dx the input gradient (the book's delta_out), shape of x
     * @param dW weight gradient, OIHW
     * @param dB bias gradient, one value per filter
     */
    public record Grads(INDArray dx, INDArray dW, INDArray dB) {
    }

    /** The geometry of {@code x} convolved with {@code w}, checking that their channels agree. */
    public static ConvGeometry geometry(INDArray x, INDArray w, int sH, int sW, int pH, int pW) {
        int[] xs = Nchw.shape4(x, "input x");
        int[] ws = Nchw.shape4(w, "weights w");
        if (xs[1] != ws[1]) {
            throw new IllegalArgumentException("weights " + Arrays.toString(ws) + " expect " + ws[1]
                    + " input channels but x " + Arrays.toString(xs) + " has " + xs[1]);
        }
        return new ConvGeometry(xs[2], xs[3], ws[2], ws[3], sH, sW, pH, pW);
    }

    public static Forward forward(Impl impl, INDArray x, INDArray w, INDArray b, ConvGeometry g) {
        checkBias(w, b);
        return switch (impl) {
            case DIRECT -> new Forward(x, DirectConv.forward(x, w, b, g), null);
            case IM2COL -> Im2colConv.forward(x, w, b, g);
        };
    }

    public static Grads backward(Impl impl, Forward f, INDArray w, INDArray delta, ConvGeometry g) {
        int[] xs = Nchw.shape4(f.x(), "input x");
        long[] expect = {xs[0], w.size(0), g.outH(), g.outW()};
        if (!Arrays.equals(delta.shape(), expect)) {
            throw new IllegalArgumentException("delta has shape " + Arrays.toString(delta.shape())
                    + " but the output of this convolution is " + Arrays.toString(expect));
        }
        return switch (impl) {
            case DIRECT -> DirectConv.backward(f.x(), w, delta, g);
            case IM2COL -> Im2colConv.backward(f.colX() != null ? f.colX() : Im2col.im2colMatrix(f.x(), g, 0.0),
                    xs, w, delta, g);
        };
    }

    private static void checkBias(INDArray w, INDArray b) {
        if (b != null && b.length() != w.size(0)) {
            throw new IllegalArgumentException("bias has " + b.length() + " values but there are " + w.size(0)
                    + " filters");
        }
    }
}
