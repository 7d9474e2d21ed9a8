package cnnlab.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The running chapter-17 pooling layer: thin glue between DL4J and {@link Pooling}. No parameters; the
 * training forward pass (with the arg-max positions) is kept for the backward pass that follows.
 */
public class CustomPoolingLayer extends AbstractLayer<CustomPooling> {

    private Pooling.Forward cached;
    private INDArray cachedFor;

    public CustomPoolingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.SUBSAMPLING;
    }

    private ConvGeometry geometry(INDArray x) {
        int[] s = Nchw.shape4(x, "input of layer " + layerConf().getLayerName());
        return layerConf().geometry(s[2], s[3]);
    }

    private Pooling.Forward forward() {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Pooling.forward(layerConf().getImpl(), layerConf().getPoolingType(), input.castTo(dataType),
                    geometry(input));
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        Pooling.Forward f = forward();
        cached = training ? f : null;
        cachedFor = training ? input : null;
        return mgr.dup(ArrayType.ACTIVATIONS, f.y());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        Pooling.Forward f = cached != null && cachedFor == input ? cached : forward();
        cached = null;
        cachedFor = null;
        INDArray dx;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            dx = Pooling.backward(layerConf().getImpl(), layerConf().getPoolingType(), f,
                    epsilon.castTo(dataType), geometry(input));
        }
        return new Pair<>(new DefaultGradient(), mgr.dup(ArrayType.ACTIVATION_GRAD, dx));
    }

    @Override
    public void clear() {
        super.clear();
        cached = null;
        cachedFor = null;
    }

    @Override
    public double calcRegularizationScore(boolean backpropOnlyParams) {
        return 0;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no parameters
    }

    @Override
    public Gradient gradient() {
        throw new UnsupportedOperationException("pooling has no parameters");
    }

    @Override
    public void fit() {
        // no parameters
    }

    @Override
    public long numParams() {
        return 0;
    }

    @Override
    public void fit(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        // no parameters
    }

    @Override
    public double score() {
        return 0;
    }

    @Override
    public void update(INDArray gradient, String paramType) {
        // no parameters
    }

    @Override
    public INDArray params() {
        return null;
    }

    @Override
    public INDArray getParam(String param) {
        return null;
    }

    @Override
    public void setParams(INDArray params) {
        // no parameters
    }
}
