package cnnlab.layers;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;

import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of the chapter-17 pooling layer (book 17.5): max or average, any window and stride,
 * usable wherever DL4J's {@link SubsamplingLayer} goes, computed by {@link CustomPoolingLayer} with
 * {@link Impl#DIRECT direct} loops or {@link Impl#IM2COL im2col} (the default). Optional zero padding
 * must be smaller than the window; an average always divides by the window area (padding counts as
 * zeros). Only MAX and AVG are supported.
 */
public class CustomPooling extends SubsamplingLayer {

    private Impl impl = Impl.IM2COL;

    /** For JSON deserialisation. */
    public CustomPooling() {
    }

    private CustomPooling(Builder b) {
        super(b);
        this.impl = b.impl;
    }

    public Impl getImpl() {
        return impl;
    }

    public void setImpl(Impl impl) {
        this.impl = impl;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        checkSupported();
        CustomPoolingLayer ret = new CustomPoolingLayer(conf, networkDataType);
        ret.setListeners(listeners);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(paramsView);
        Map<String, INDArray> table = initializer().init(conf, paramsView, initializeParams);
        ret.setParamTable(table);
        ret.setConf(conf);
        return ret;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c)) {
            throw new IllegalStateException("layer " + getLayerName() + " (CustomPooling) needs convolutional "
                    + "input, got " + inputType);
        }
        ConvGeometry g = geometry((int) c.getHeight(), (int) c.getWidth());
        return InputType.convolutional(g.outH(), g.outW(), c.getChannels());
    }

    /** The geometry for an input of {@code h×w}; throws IllegalArgumentException naming impossible numbers. */
    public ConvGeometry geometry(int h, int w) {
        return new ConvGeometry(h, w, kernelSize[0], kernelSize[1], stride[0], stride[1], padding[0], padding[1])
                .requireWindowsTouchInput();
    }

    void checkSupported() {
        if (poolingType != org.deeplearning4j.nn.conf.layers.PoolingType.MAX
                && poolingType != org.deeplearning4j.nn.conf.layers.PoolingType.AVG) {
            throw new IllegalArgumentException("CustomPooling supports MAX and AVG, not " + poolingType);
        }
        if (dilation != null && (dilation[0] != 1 || dilation[1] != 1)) {
            throw new IllegalArgumentException("CustomPooling supports no dilation, got "
                    + dilation[0] + "x" + dilation[1]);
        }
        if (convolutionMode == ConvolutionMode.Same || convolutionMode == ConvolutionMode.Causal) {
            throw new IllegalArgumentException("CustomPooling uses explicit padding; convolution mode "
                    + convolutionMode + " is not supported");
        }
        if (cnn2dDataFormat != null && cnn2dDataFormat != CNN2DFormat.NCHW) {
            throw new IllegalArgumentException("CustomPooling works on NCHW data only");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CustomPooling other && super.equals(o) && impl == other.impl;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), impl);
    }

    @Override
    public String toString() {
        return "CustomPooling(impl=" + impl + ", " + super.toString() + ")";
    }

    /** Builder: pooling type, kernel size, stride (default 2×2), padding (default 0), plus {@link #impl}. */
    public static class Builder extends SubsamplingLayer.BaseSubsamplingBuilder<Builder> {
        private Impl impl = Impl.IM2COL;

        public Builder(org.deeplearning4j.nn.conf.layers.PoolingType type, int... kernelSize) {
            super(type, kernelSize);
        }

        public Builder kernelSize(int... k) {
            setKernelSize(k);
            return this;
        }

        public Builder stride(int... s) {
            setStride(s);
            return this;
        }

        public Builder padding(int... p) {
            setPadding(p);
            return this;
        }

        /** Direct loops or im2col (default). */
        public Builder impl(Impl impl) {
            this.impl = Objects.requireNonNull(impl, "impl");
            return this;
        }

        @Override
        protected boolean allowCausal() {
            return false;
        }

        @Override
        @SuppressWarnings("unchecked")
        public CustomPooling build() {
            CustomPooling p = new CustomPooling(this);
            p.checkSupported();
            return p;
        }
    }
}
