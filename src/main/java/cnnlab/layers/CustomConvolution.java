package cnnlab.layers;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of the chapter-17 convolution layer: usable wherever DL4J's {@link ConvolutionLayer}
 * goes (same builder options, same parameters {@code W} (OIHW) and {@code b}, same initialisation), but
 * computed by {@link CustomConvolutionLayer} with the book's {@link Impl#DIRECT direct} loops or
 * {@link Impl#IM2COL im2col} (the default). Output size {@code (in − k + 2·pad)/stride + 1} floored
 * (book 17.1); dilation, "same" and causal modes are not part of the book and are rejected.
 */
public class CustomConvolution extends ConvolutionLayer {

    private Impl impl = Impl.IM2COL;

    /** For JSON deserialisation. */
    public CustomConvolution() {
    }

    private CustomConvolution(Builder b) {
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
        LayerValidation.assertNInNOutSet("CustomConvolution", getLayerName(), layerIndex, getNIn(), getNOut());
        checkSupported();
        CustomConvolutionLayer ret = new CustomConvolutionLayer(conf, networkDataType);
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
            throw new IllegalStateException("layer " + getLayerName() + " (CustomConvolution) needs convolutional "
                    + "input, got " + inputType);
        }
        ConvGeometry g = geometry((int) c.getHeight(), (int) c.getWidth());
        return InputType.convolutional(g.outH(), g.outW(), getNOut());
    }

    /** The geometry for an input of {@code h×w}; throws IllegalArgumentException naming impossible numbers. */
    public ConvGeometry geometry(int h, int w) {
        return new ConvGeometry(h, w, kernelSize[0], kernelSize[1], stride[0], stride[1], padding[0], padding[1]);
    }

    void checkSupported() {
        if (dilation != null && (dilation[0] != 1 || dilation[1] != 1)) {
            throw new IllegalArgumentException("CustomConvolution supports no dilation, got "
                    + dilation[0] + "x" + dilation[1]);
        }
        if (convolutionMode == ConvolutionMode.Same || convolutionMode == ConvolutionMode.Causal) {
            throw new IllegalArgumentException("CustomConvolution uses explicit padding; convolution mode "
                    + convolutionMode + " is not supported");
        }
        if (cnn2dDataFormat != null && cnn2dDataFormat != org.deeplearning4j.nn.conf.CNN2DFormat.NCHW) {
            throw new IllegalArgumentException("CustomConvolution works on NCHW data only");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CustomConvolution other && super.equals(o) && impl == other.impl;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), impl);
    }

    @Override
    public String toString() {
        return "CustomConvolution(impl=" + impl + ", " + super.toString() + ")";
    }

    /** Builder: kernel, stride, padding, nOut, activation... as for DL4J's convolution, plus {@link #impl}. */
    public static class Builder extends ConvolutionLayer.BaseConvBuilder<Builder> {
        private Impl impl = Impl.IM2COL;

        public Builder(int... kernelSize) {
            super(kernelSize);
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
        public CustomConvolution build() {
            CustomConvolution c = new CustomConvolution(this);
            c.checkSupported();
            return c;
        }
    }
}
