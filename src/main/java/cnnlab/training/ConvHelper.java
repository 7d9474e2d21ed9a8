package cnnlab.training;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's oneDNN convolution helper, minus one wasted convolution per training step: in DL4J 1.0.0-M2.1 a
 * {@code ConvolutionLayer}'s backward pass asks for the layer's forward output again (to apply the activation's
 * derivative), and unless the network's configuration caches it (a copy of every convolution's output, which
 * cnnlab does only for chains, {@link Net#setCacheMode}) it runs the forward convolution a second time. For a
 * layer with the identity activation (every convolution followed by batch norm: ResNet, GoogLeNet, DenseNet)
 * the activation leaves that output untouched, so this helper hands back the array it computed in the same
 * step's forward pass — no second convolution and no copy.
 *
 * <p>It does so only when it is certain the array is that step's output: it was computed in the training
 * workspace, the call has the same input array (identity), the layer has not been updated since (its iteration
 * and epoch counts), and the training workspace is still open and has not been reset since (its generation,
 * which every training step advances); and only once.
 */
class ConvHelper extends MKLDNNConvHelper {
    /** The training workspace DL4J's networks keep every layer's activations in for the backward pass. */
    static final String TRAINING_ACTIVATIONS = "WS_ALL_LAYERS_ACT";

    private final Layer layer;
    private INDArray lastInput;
    private INDArray lastOutput;
    private int lastIteration;
    private int lastEpoch;

    ConvHelper(DataType type, Layer layer) {
        super(type);
        this.layer = layer;
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
            AlgoMode mode, FwdAlgo fwdAlgo, ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        boolean training = workspaceMgr.hasConfiguration(ArrayType.ACTIVATIONS)
                && TRAINING_ACTIVATIONS.equals(workspaceMgr.getWorkspaceName(ArrayType.ACTIVATIONS))
                && workspaceMgr.isWorkspaceOpen(ArrayType.ACTIVATIONS);
        boolean identity = layer != null && layer.conf().getLayer() instanceof BaseLayer b
                && b.getActivationFn() instanceof ActivationIdentity;
        // The reuse call comes from the backward pass, whose workspace manager puts the forward pass it asks for
        // into another workspace (WS_LAYER_WORKING_MEM in a graph): what makes the reuse safe is that it is the
        // same computation (same input array, same weights) within the same, still open training workspace.
        if (identity && input == lastInput && lastOutput != null && current(lastOutput)
                && layer.getIterationCount() == lastIteration && layer.getEpochCount() == lastEpoch) {
            INDArray out = lastOutput;
            forget();
            return out;
        }
        forget();
        INDArray out = super.preOutput(input, weights, bias, kernel, strides, pad, mode, fwdAlgo, convolutionMode,
                dilation, format, workspaceMgr);
        if (training && identity && out != null) {
            lastInput = input;
            lastOutput = out;
            lastIteration = layer.getIterationCount();
            lastEpoch = layer.getEpochCount();
        }
        return out;
    }

    /** Whether an array's workspace has not been reset since the array was made in it (a new step resets it). */
    private static boolean current(INDArray a) {
        if (!a.isAttached()) {
            return false;
        }
        org.nd4j.linalg.api.memory.MemoryWorkspace ws = a.data().getParentWorkspace();
        return ws != null && ws.isScopeActive() && a.data().getGenerationId() == ws.getGenerationId();
    }

    Layer layer() {
        return layer;
    }

    private void forget() {
        lastInput = null;
        lastOutput = null;
    }
}
