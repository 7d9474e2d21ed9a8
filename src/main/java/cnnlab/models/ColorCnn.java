package cnnlab.models;

import cnnlab.data.ShapeImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
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
    /**
     * Trains {@code color-cnn} exactly as {@code cnnlab train color-cnn ARGS...} (from an IDE, or
     * {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.ColorCnn -Dexec.args="--epochs 1"}).
     */
    public static void main(String[] args) {
        cnnlab.cli.ExperimentMain.train(args, "color-cnn");
    }

    private ColorCnn() {
    }

    public static MultiLayerConfiguration conf(NetSpec s) {
        return BookNets.cnn(s, BookNets.sgd(s.learningRate()), s.init().msra())
                .conv("c1", 2, 1).relu("relu1").maxPool("p1")
                .conv("c2", 3, 3).relu("relu2").maxPool("p2")
                .fc("f3", 32).batchNorm("bn3").relu("relu3")
                .softmax("f4");
    }

    /**
     * How far a 1×1 convolution over RGB followed by ReLU sets each colour of the colour task apart from the
     * black background: the largest {@code |relu(w·rgb + b) - relu(b)|} over the output channels, for
     * inputs scaled to [0,1] (the colour task's normalizer). 0 means the colour is drawn exactly like the
     * background.
     *
     * @param w the convolution's weights {@code [out, 3, 1, 1]}
     * @param b its biases ({@code out} values)
     * @return one contrast per colour, in label order
     */
    public static double[] contrasts(INDArray w, INDArray b) {
        if (w.rank() != 4 || w.size(1) != 3 || w.size(2) != 1 || w.size(3) != 1 || b.length() != w.size(0)) {
            throw new IllegalArgumentException("need 1x1 RGB kernels [out, 3, 1, 1] and one bias per kernel, got "
                    + java.util.Arrays.toString(w.shape()) + " and " + b.length() + " biases");
        }
        ShapeImages.Colour[] colours = ShapeImages.Colour.values();
        double[] contrast = new double[colours.length];
        for (int i = 0; i < colours.length; i++) {
            double[] rgb = {colours[i].r / 255.0, colours[i].g / 255.0, colours[i].b / 255.0};
            for (int k = 0; k < w.size(0); k++) {
                double bias = b.getDouble(k);
                double z = bias;
                for (int ch = 0; ch < 3; ch++) {
                    z += w.getDouble(k, ch, 0, 0) * rgb[ch];
                }
                contrast[i] = Math.max(contrast[i], Math.abs(Math.max(z, 0) - Math.max(bias, 0)));
            }
        }
        return contrast;
    }

    /**
     * The colours that {@link #contrasts} finds drawn exactly like the black background, lower-case, in
     * label order; empty when the layer keeps every colour visible.
     */
    public static List<String> lostColours(INDArray w, INDArray b) {
        double[] contrast = contrasts(w, b);
        List<String> lost = new ArrayList<>();
        for (ShapeImages.Colour c : ShapeImages.Colour.values()) {
            if (contrast[c.ordinal()] == 0) {
                lost.add(c.name().toLowerCase(Locale.ROOT));
            }
        }
        return lost;
    }

    /** One line for run notes: each colour's contrast after the 1×1 layer + ReLU, and what lost ones cost. */
    public static String contrastNote(String layer, INDArray w, INDArray b) {
        double[] contrast = contrasts(w, b);
        StringBuilder sb = new StringBuilder(layer + " + ReLU, contrast of each colour against the black background:");
        for (ShapeImages.Colour c : ShapeImages.Colour.values()) {
            sb.append(String.format(Locale.ROOT, " %s %.2f", c.name().toLowerCase(Locale.ROOT), contrast[c.ordinal()]));
        }
        List<String> lost = lostColours(w, b);
        if (!lost.isEmpty()) {
            sb.append("; ").append(String.join(", ", lost)).append(lost.size() == 1 ? " is" : " are")
                    .append(" drawn exactly like the background (dead: no gradient reaches them again)");
            if (lost.size() > 1) {
                sb.append(String.format(Locale.ROOT, ", so accuracy can reach at most %.1f%%",
                        100 * accuracyCeiling(lost.size(), contrast.length)));
            }
        }
        return sb.toString();
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
