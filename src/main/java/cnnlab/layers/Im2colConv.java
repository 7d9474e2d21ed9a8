package cnnlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolution as im2col + matrix product (book 17.2 method 3) and its backward pass through col2im
 * (17.4 method 2): {@code col_w = W.reshape(O, −1)ᵀ}, {@code y = col_x · col_w + b} reshaped to
 * (N, outH, outW, O) and transposed to NCHW; backward {@code δ2d = δ} in (N·outH·outW, O) layout,
 * {@code dB = Σ δ2d}, {@code dW = col_xᵀ · δ2d}, {@code dcol = δ2d · col_wᵀ}, {@code dx = col2im(dcol)}.
 * The matrix products run in ND4J (CPU BLAS, or CUDA with that backend).
 */
public final class Im2colConv {
    private Im2colConv() {
    }

    public static Conv.Forward forward(INDArray x, INDArray w, INDArray b, ConvGeometry g) {
        int[] xs = Nchw.shape4(x, "input x");
        int o = (int) w.size(0);
        INDArray colX = Im2col.im2colMatrix(x, g, 0.0);
        INDArray colW = w.castTo(x.dataType()).reshape('c', o, colX.size(1)).transpose();
        INDArray y2d = colX.mmul(colW);
        if (b != null) {
            y2d.addiRowVector(b.castTo(x.dataType()).reshape(1, o));
        }
        INDArray y = y2d.reshape('c', xs[0], g.outH(), g.outW(), o).permute(0, 3, 1, 2).dup('c');
        return new Conv.Forward(x, y, colX);
    }

    /**
     * @param colX the im2col matrix of the forward input
     * @param xShape the forward input's NCHW shape
     */
    public static Conv.Grads backward(INDArray colX, int[] xShape, INDArray w, INDArray delta, ConvGeometry g) {
        int o = (int) w.size(0);
        INDArray d2 = delta2d(delta.castTo(colX.dataType()));
        INDArray dB = d2.sum(0);
        INDArray dW = colX.transpose().mmul(d2).transpose().dup('c')
                .reshape('c', o, xShape[1], g.kH(), g.kW());
        INDArray dcol = dcol(d2, w.castTo(colX.dataType()));
        double[] dx = Im2col.col2im(Nchw.data(dcol), xShape[0], xShape[1], g);
        return new Conv.Grads(Nchw.create(dx, colX.dataType(), xShape[0], xShape[1], xShape[2], xShape[3]), dW, dB);
    }

    /** {@code transpose(δ, (0,2,3,1)).reshape(−1, O)}: one row per sample and output position. */
    public static INDArray delta2d(INDArray delta) {
        return delta.permute(0, 2, 3, 1).dup('c').reshape('c', delta.size(0) * delta.size(2) * delta.size(3),
                delta.size(1));
    }

    /** {@code dcol = δ2d · col_wᵀ} with {@code col_w = W.reshape(O, −1)ᵀ}. */
    public static INDArray dcol(INDArray delta2d, INDArray w) {
        return delta2d.mmul(w.reshape('c', w.size(0), w.length() / w.size(0)));
    }
}
