package cnnlab.models;

import cnnlab.data.ShapeImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Colour CNN (table 18-1): RGB 3×28×28 → conv 2@1×1 → ReLU → max-pool 2 → conv 3@3×3 → ReLU → max-pool 2 → FC 32 → BN → ReLU → 6-way softmax; MSRA init, SGD lr 0.1, batch 16, 20 epochs (book: 96.3%). The 1×1 convolution mixes the colour channels per pixel (18.1.4).
 *
 * <p>With only two 1×1 kernels and a ReLU, a colour whose both weighted sums {@code w·rgb + b} end at
 * or below what the black background gives is drawn exactly like the background after {@code relu1}:
 * the rest of the net cannot see it, and no gradient ever reaches the kernels through its pixels
 * again, so it stays lost (a "dead" colour). Which colours get lost depends on the random start;
 * {@link #lostColours} names them and {@link #accuracyCeiling} says what that costs.
 *
 * <p>Book section 18.1.3 (see the README's section map).
 */
public final class ColorCnn {
    private ColorCnn() {
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        return BookNets.twoStageCnn(s, 2, 1, 0, 3, 3, BookNets.sgd(s.learningRate()), WeightInit.RELU);
    }

    /**
     * The colours of the colour task that a 1×1 convolution over RGB followed by ReLU maps onto exactly
     * what the black background gives, in every output channel, for inputs scaled to [0,1] (the colour
     * task's normalizer).
     *
     * @param w the convolution's weights {@code [out, 3, 1, 1]}
     * @param b its biases ({@code out} values)
     * @return lower-case colour names in label order; empty when the layer keeps every colour visible
     */
    public static List<String> lostColours(INDArray w, INDArray b) {
        if (w.rank() != 4 || w.size(1) != 3 || w.size(2) != 1 || w.size(3) != 1 || b.length() != w.size(0)) {
            throw new IllegalArgumentException("need 1x1 RGB kernels [out, 3, 1, 1] and one bias per kernel, got "
                    + java.util.Arrays.toString(w.shape()) + " and " + b.length() + " biases");
        }
        List<String> lost = new ArrayList<>();
        for (ShapeImages.Colour c : ShapeImages.Colour.values()) {
            double[] rgb = {c.r / 255.0, c.g / 255.0, c.b / 255.0};
            boolean visible = false;
            for (int k = 0; k < w.size(0) && !visible; k++) {
                double bias = b.getDouble(k);
                double z = bias;
                for (int ch = 0; ch < 3; ch++) {
                    z += w.getDouble(k, ch, 0, 0) * rgb[ch];
                }
                visible = Math.max(z, 0) != Math.max(bias, 0);
            }
            if (!visible) {
                lost.add(c.name().toLowerCase(Locale.ROOT));
            }
        }
        return lost;
    }

    /**
     * The best accuracy reachable when {@code lost} of {@code classes} equally frequent colours all look
     * like the background: the net can name only one of them, so {@code lost - 1} are always wrong.
     */
    public static double accuracyCeiling(int lost, int classes) {
        if (classes <= 0 || lost < 0 || lost > classes) {
            throw new IllegalArgumentException("need 0 <= lost <= classes, got lost " + lost + " of " + classes);
        }
        return lost <= 1 ? 1.0 : 1.0 - (lost - 1) / (double) classes;
    }
}
