package cnnlab.models;

import cnnlab.layers.CustomConvolution;
import cnnlab.layers.CustomPooling;
import cnnlab.layers.Impl;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * Which implementation the chapter-18 CNNs use for convolution and pooling: DL4J's own layers, or
 * the chapter-17 custom layers of {@code cnnlab.layers} (command-line {@code --layers dl4j|custom}; the
 * custom layers use their im2col implementation).
 */
public enum LayerChoice {
    DL4J,
    CUSTOM;

    public static LayerChoice parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "dl4j" -> DL4J;
            case "custom" -> CUSTOM;
            default -> throw new cnnlab.UserError("unknown --layers '" + s + "': use dl4j or custom");
        };
    }

    /** A convolution with identity activation (the book puts ReLU in its own layer). */
    public Layer conv(String name, int nOut, int kernel, int stride, int pad) {
        return switch (this) {
            case DL4J -> new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(pad, pad)
                    .nOut(nOut).activation(Activation.IDENTITY).name(name).build();
            case CUSTOM -> new CustomConvolution.Builder(kernel, kernel).stride(stride, stride).padding(pad, pad)
                    .nOut(nOut).activation(Activation.IDENTITY).impl(Impl.IM2COL).name(name).build();
        };
    }

    /** Max or average pooling with a square window. */
    public Layer pool(String name, PoolingType type, int window, int stride) {
        return switch (this) {
            case DL4J -> new SubsamplingLayer.Builder(type).kernelSize(window, window).stride(stride, stride)
                    .name(name).build();
            case CUSTOM -> new CustomPooling.Builder(type, window, window).stride(stride, stride)
                    .impl(Impl.IM2COL).name(name).build();
        };
    }
}
