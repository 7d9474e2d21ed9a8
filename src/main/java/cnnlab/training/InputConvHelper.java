package cnnlab.training;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The oneDNN convolution helper for a convolution that reads the network's input directly (the first
 * layer of a chain, or a graph layer fed only by inputs): training never needs the gradient with respect
 * to the input image, so the backward pass computes only dW and dB. {@code conv2d_bp} always computes
 * the input gradient too, and for the first layer of the book's nets that is most of the work (mnist-cnn's
 * 1-channel 5×5 layer: 23 ms of {@code conv2d_bp} against 3.7 ms for dW and dB alone per batch of 128,
 * {@code docs/PERFORMANCE.md}).
 *
 * <p>dW is itself a convolution: {@code dW[o,c,m,q] = Σ_{n,i,j} x[n,c,i·s+m,j·s+q] · δ[n,o,i,j]}, i.e.
 * the input with batch and channel swapped ({@code C×N×H×W}) convolved with the delta as kernels
 * ({@code O×N×outH×outW}, dilated by the stride), giving {@code C×O×kH×kW}. That runs on the same oneDNN
 * forward convolution as the layer itself. dB is the delta summed over batch and positions.
 *
 * <p>The returned input gradient is filled with NaN, so that a caller that did want it (DL4J's
 * {@code calculateGradients}, an input-saliency map) gets an obviously wrong answer rather than a
 * plausible one; {@link OneDnnHelpers} attaches this helper only to input-fed layers of networks that
 * {@link Net} trains. Strides above 1 (oneDNN declined the dilated form of this convolution here), Same-mode
 * padding, dilation, or NHWC data fall back to the full {@code conv2d_bp}.
 */
final class InputConvHelper extends ConvHelper {

    InputConvHelper(DataType type, org.deeplearning4j.nn.api.Layer layer) {
        super(type, layer);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
            int[] kernel, int[] strides, int[] pad, INDArray biasGradView, INDArray weightGradView, IActivation afn,
            AlgoMode mode, BwdFilterAlgo bwdFilterAlgo, BwdDataAlgo bwdDataAlgo, ConvolutionMode convolutionMode,
            int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (convolutionMode == ConvolutionMode.Same || format != CNN2DFormat.NCHW || strides[0] != 1
                || strides[1] != 1 || (dilation != null && (dilation[0] != 1 || dilation[1] != 1))) {
            return super.backpropGradient(input, weights, bias, delta, kernel, strides, pad, biasGradView,
                    weightGradView, afn, mode, bwdFilterAlgo, bwdDataAlgo, convolutionMode, dilation, format,
                    workspaceMgr);
        }
        DataType type = input.dataType();
        long n = input.size(0);
        long c = input.size(1);
        long o = delta.size(1);
        long oh = delta.size(2);
        long ow = delta.size(3);

        // C×N×H×W input and O×N×outH×outW delta: batch becomes the channel axis of the convolution; dB comes
        // with the delta's swap (one pass in Java: libnd4j's permuted copy and its sum took 1.2 ms of mnist-cnn's step)
        INDArray xT = c == 1 ? input.reshape('c', 1, n, input.size(2), input.size(3))
                : swapFirstTwo(input, type, workspaceMgr, null);
        double[] db = biasGradView == null ? null : new double[(int) o];
        INDArray dT = swapFirstTwo(delta, type, workspaceMgr, db);
        long outH = input.size(2) + 2L * pad[0] - oh + 1;
        long outW = input.size(3) + 2L * pad[1] - ow + 1;
        INDArray dW = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, c, o, outH, outW);
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(xT, dT).addOutputs(dW)
                .addIntegerArguments((int) oh, (int) ow, 1, 1, pad[0], pad[1], 1, 1, 0, 0, 1).build());
        weightGradView.assign(dW.permute(1, 0, 2, 3));

        Gradient g = new DefaultGradient();
        if (biasGradView != null) {
            biasGradView.assign(Nd4j.createFromArray(db).castTo(type).reshape(biasGradView.shape()));
            g.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        g.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        INDArray eps = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, type, input.shape());
        eps.assign(Double.NaN);
        return new Pair<>(g, eps);
    }

    /**
     * {@code a} (A×B×H×W) with its first two axes swapped (B×A×H×W), in the backward working memory; with
     * {@code sums}, also each plane's sum added to {@code sums[b]}. Dense float input moves plane by plane in
     * Java; anything else through ND4J.
     */
    private static INDArray swapFirstTwo(INDArray a, DataType type, LayerWorkspaceMgr ws, double[] sums) {
        long[] s = a.shape();
        INDArray out = ws.createUninitialized(ArrayType.BP_WORKING_MEM, type, s[1], s[0], s[2], s[3]);
        if (type != DataType.FLOAT || !CpuPooling.contiguous(a) || a.length() > Integer.MAX_VALUE) {
            out.assign(a.permute(1, 0, 2, 3));
            if (sums != null) {
                double[] d = out.reshape('c', s[1], s[0] * s[2] * s[3]).sum(1).toDoubleVector();
                System.arraycopy(d, 0, sums, 0, sums.length);
            }
            return out;
        }
        int rows = (int) s[0];
        int cols = (int) s[1];
        CpuPooling.Planes from = new CpuPooling.Planes(a, (int) (s[2] * s[3]));
        CpuPooling.Planes to = new CpuPooling.Planes(out, from.size);
        CpuPooling.forEachChunk(cols, (j0, j1) -> { // by target row: each chunk owns its sums
            float[] plane = from.scratch();
            for (int j = j0; j < j1; j++) {
                double total = 0;
                for (int i = 0; i < rows; i++) {
                    from.read(i * cols + j, plane);
                    to.write(j * rows + i, plane);
                    if (sums != null) {
                        total += sum(plane);
                    }
                }
                if (sums != null) {
                    sums[j] = total;
                }
            }
        });
        return out;
    }

    /** The sum of an array, with four independent accumulators. */
    private static double sum(float[] x) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < x.length; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < x.length; i++) {
            s0 += x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
