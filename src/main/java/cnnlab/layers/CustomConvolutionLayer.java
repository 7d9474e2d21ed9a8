package cnnlab.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The running chapter-17 convolution layer: thin glue between DL4J and {@link Conv}. The forward pass
 * computes {@code z = x ⋆ W + b} and applies the configured activation; the backward pass takes the
 * activation's derivative and hands dW and dB to DL4J's gradient views. The math runs outside DL4J's
 * workspaces; results are copied into the workspace DL4J asks for. During training the forward pass
 * (with its im2col matrix) is kept for the backward pass that follows.
 */
public class CustomConvolutionLayer extends BaseLayer<CustomConvolution> {

    private Conv.Forward cached;
    private INDArray cachedFor;

    public CustomConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    private ConvGeometry geometry(INDArray x) {
        int[] s = Nchw.shape4(x, "input of layer " + layerConf().getLayerName());
        if (s[1] != layerConf().getNIn()) {
            throw new IllegalArgumentException("layer " + layerConf().getLayerName() + " expects "
                    + layerConf().getNIn() + " input channels, got " + s[1]);
        }
        return layerConf().geometry(s[2], s[3]);
    }

    private INDArray bias(boolean training, LayerWorkspaceMgr mgr) {
        return layerConf().hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, mgr) : null;
    }

    private Conv.Forward forward(INDArray x, boolean training, LayerWorkspaceMgr mgr) {
        INDArray w = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, mgr);
        INDArray b = bias(training, mgr);
        ConvGeometry g = geometry(x);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Conv.forward(layerConf().getImpl(), x.castTo(dataType), w, b, g);
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        Conv.Forward f = forward(input, training, mgr);
        cached = training ? f : null;
        cachedFor = training ? input : null;
        INDArray a;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            a = layerConf().getActivationFn().getActivation(f.y().dup(), training);
        }
        return mgr.dup(ArrayType.ACTIVATIONS, a);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        Conv.Forward f = cached != null && cachedFor == input ? cached : forward(input, true, mgr);
        cached = null;
        cachedFor = null;
        INDArray w = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, mgr);
        ConvGeometry g = geometry(input);
        Conv.Grads grads;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray x = input.castTo(dataType).dup();
            INDArray delta = layerConf().getActivationFn()
                    .backprop(f.y().dup(), epsilon.castTo(dataType).dup()).getFirst();
            grads = Conv.backward(layerConf().getImpl(), new Conv.Forward(x, f.y(), f.colX()), w, delta, g);
        }
        Gradient ret = new DefaultGradient();
        if (layerConf().hasBias()) {
            INDArray bView = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
            bView.assign(grads.dB().reshape(bView.shape()));
            ret.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, bView);
        }
        INDArray wView = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        wView.assign(grads.dW());
        ret.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, wView, 'c');
        weightNoiseParams.clear();
        INDArray eps = mgr.dup(ArrayType.ACTIVATION_GRAD, grads.dx());
        return new Pair<>(ret, backpropDropOutIfPresent(eps));
    }

    @Override
    public void clear() {
        super.clear();
        cached = null;
        cachedFor = null;
    }
}
