package cnnlab.models;

/**
 * What a network factory needs to know to build a configuration.
 *
 * @param channels input channels (ignored by networks that take a flat vector)
 * @param height input height
 * @param width input width
 * @param classes number of output classes
 * @param learningRate learning rate of the updater
 * @param seed weight-initialisation seed
 * @param layers which convolution/pooling implementation to use
 * @param init what "Xavier" and "MSRA" mean for the book-framework networks (18.1-18.5)
 */
public record NetSpec(int channels, int height, int width, int classes, double learningRate, long seed,
                      LayerChoice layers, InitChoice init) {

    /** A spec with the book framework's weight initialisation. */
    public NetSpec(int channels, int height, int width, int classes, double learningRate, long seed,
                   LayerChoice layers) {
        this(channels, height, width, classes, learningRate, seed, layers, InitChoice.BOOK);
    }

    public NetSpec {
        if (channels <= 0 || height <= 0 || width <= 0 || classes <= 0) {
            throw new IllegalArgumentException("input " + channels + "x" + height + "x" + width
                    + " and " + classes + " classes must all be positive");
        }
    }

    public NetSpec withLayers(LayerChoice choice) {
        return new NetSpec(channels, height, width, classes, learningRate, seed, choice, init);
    }
}
