package cnnlab.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.weights.WeightInit;

/**
 * Colour CNN (table 18-1): RGB 3×28×28 → conv 2@1×1 → ReLU → max-pool 2 → conv 3@3×3 → ReLU → max-pool 2 → FC 32 → BN → ReLU → 6-way softmax; MSRA init, SGD lr 0.1, batch 16, 20 epochs (book: 96.3%). The 1×1 convolution mixes the colour channels per pixel (18.1.4).
 *
 * <p>Book section 18.1.3 (see the README's section map).
 */
public final class ColorCnn {
    private ColorCnn() {
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        return BookNets.twoStageCnn(s, 2, 1, 0, 3, 3, BookNets.sgd(s.learningRate()), WeightInit.RELU);
    }
}
