package cnnlab.training;

import static cnnlab.training.FigureLayout.scaleFor;

import cnnlab.ImageGrid;
import cnnlab.data.ShapeImages;
import cnnlab.data.ShapeTask;
import cnnlab.models.ColorCnn;
import cnnlab.training.FigureLayout.Grid;
import cnnlab.training.FigureLayout.Section;
import cnnlab.training.Visualizer.Named;
import cnnlab.training.Visualizer.Sample;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Figure 18-20 of the colour CNN (18.1.5), {@value Visualizer#COLOR_1X1}: drawn when a network's first
 * convolution is 1×1 over RGB and a second convolution group follows. One rectangle of each colour (or the
 * sample, when it is not from the colour task's test set), the 1×1 feature maps, the three second-group conv
 * maps as one false-colour RGB picture and their activation; each row on one scale shared by all samples, so
 * that colours compare.
 */
final class ColorFigure {
    /** About how many screen pixels one map is drawn. */
    static final int COLOR_PX = 84;

    private ColorFigure() {
    }

    /** Whether the net has this figure: a 1×1 first convolution over RGB, and a second convolution group. */
    static boolean applies(List<List<Named>> groups) {
        INDArray w1 = groups.get(0).get(0).weights();
        return w1.size(1) == 3 && w1.size(2) == 1 && w1.size(3) == 1 && groups.size() >= 2;
    }

    /**
     * Writes the figure to {@code png}; for the colour task, adds to {@code notes} how well each colour
     * survives the 1×1 layer and its ReLU ({@link ColorCnn#contrastNote}).
     */
    static Path write(MultiLayerNetwork mln, ModelMeta meta, Pipeline pipeline, Sample sample,
                      List<List<Named>> groups, Path png, List<String> notes) {
        Path file = FigureLayout.write(FigureLayout.stack(rows(mln, meta, pipeline, sample, groups)), png);
        Named c1 = groups.get(0).get(0);
        INDArray b1 = c1.layer().paramTable().get("b");
        if (b1 != null && ShapeTask.COLOR.dataName().equals(meta.data())) {
            notes.add(ColorCnn.contrastNote(c1.name(), c1.weights(), b1));
        }
        return file;
    }

    /**
     * Figure 18-20: inputs, the two 1×1 maps, the second group's three conv maps as false-colour RGB, and
     * their activation. Each row shares one scale over all samples (per channel for RGB rows).
     */
    private static List<Section> rows(MultiLayerNetwork mln, ModelMeta meta, Pipeline pipeline, Sample sample,
                                     List<List<Named>> groups) {
        List<String> names = new ArrayList<>();
        INDArray raw;
        String what;
        if (sample.fromTestSet() && ShapeTask.COLOR.dataName().equals(meta.data())) {
            raw = rectangles(meta.seed(), names);
            what = "one rectangle of each colour (figure 18-20)";
        } else {
            raw = sample.raw();
            names.add("input");
            what = sample.description();
        }
        int n = (int) raw.size(0), h = meta.height(), w = meta.width();
        INDArray x = pipeline.features(raw);
        List<INDArray> acts = Visualizer.forward(mln, x, mln.getnLayers() - 1);
        int[] pred = acts.get(acts.size() - 1).argMax(1).toIntVector();
        int scale = scaleFor(h, w, COLOR_PX);
        List<Section> rows = new ArrayList<>();

        Grid in = new Grid(n, scale);
        for (int i = 0; i < n; i++) {
            float[] chw = raw.slice(i).dup('c').data().asFloat();
            String p = Visualizer.className(meta, pred[i]);
            boolean wrong = names.size() == n && n > 1 && !names.get(i).equals(p);
            in.add(ImageGrid.image(chw, 3, h, w, 255), names.get(i) + " -> " + p, wrong);
        }
        rows.add(new Section(what + ", predicted", in));

        Named c1 = groups.get(0).get(0);
        INDArray a1 = acts.get(c1.index());
        for (int c = 0; c < a1.size(1); c++) {
            Grid g = new Grid(n, scaleFor(a1.size(2), a1.size(3), COLOR_PX));
            for (BufferedImage t : shared(a1, new int[] {c})) {
                g.add(t, c1.name() + "[" + c + "]");
            }
            rows.add(new Section(c1.name() + "[" + c + "] = " + weightedSum(c1, c) + "  (R, G, B in 0..1)", g));
        }
        List<Named> g2 = groups.get(1);
        for (Named l : g2.subList(0, Math.min(2, g2.size()))) {
            INDArray a = acts.get(l.index());
            int[] rgb = {0, Math.min(1, (int) a.size(1) - 1), Math.min(2, (int) a.size(1) - 1)};
            Grid g = new Grid(n, scaleFor(a.size(2), a.size(3), COLOR_PX));
            for (BufferedImage t : shared(a, rgb)) {
                g.add(t, l.name() + "[0..2]");
            }
            rows.add(new Section(l.name() + " (" + Visualizer.describe(l.conf()) + "): maps 0, 1, 2 as R, G, B", g));
        }
        return rows;
    }

    /** One rectangle per colour of the colour task, drawn as its generator draws them. */
    private static INDArray rectangles(long seed, List<String> names) {
        ShapeImages.Colour[] colours = ShapeImages.Colour.values();
        int s = ShapeImages.SIZE, plane = s * s;
        float[] px = new float[colours.length * 3 * plane];
        Random r = new Random(seed);
        for (int i = 0; i < colours.length; i++) {
            boolean[][] m = ShapeImages.mask(ShapeImages.Shape.RECTANGLE, r);
            int[] rgb = {colours[i].r, colours[i].g, colours[i].b};
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        px[(i * 3 + c) * plane + y * s + x] = m[y][x] ? rgb[c] : 0;
                    }
                }
            }
            names.add(colours[i].name().toLowerCase(Locale.ROOT));
        }
        return Nd4j.create(px, new long[] {colours.length, 3, s, s}, 'c');
    }

    /**
     * Pictures of the channels {@code ch} (1: grey, 3: RGB) of every sample of {@code act}, each channel
     * min-max scaled over all samples together.
     */
    private static List<BufferedImage> shared(INDArray act, int[] ch) {
        int n = (int) act.size(0), h = (int) act.size(2), w = (int) act.size(3), plane = h * w;
        float[] v = act.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int chans = (int) act.size(1);
        float[][] pics = new float[n][ch.length * plane];
        for (int k = 0; k < ch.length; k++) {
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    float f = v[(i * chans + ch[k]) * plane + p];
                    lo = Math.min(lo, f);
                    hi = Math.max(hi, f);
                }
            }
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    float f = v[(i * chans + ch[k]) * plane + p];
                    pics[i][k * plane + p] = hi > lo ? (f - lo) / (hi - lo) : 0;
                }
            }
        }
        List<BufferedImage> out = new ArrayList<>();
        for (float[] p : pics) {
            out.add(ImageGrid.image(p, ch.length, h, w, 1));
        }
        return out;
    }

    /** {@code 0.52 R - 0.31 G + 0.88 B + 0.01}: what a 1×1 kernel over RGB computes per pixel (18.1.4). */
    static String weightedSum(Named conv, int o) {
        INDArray w = conv.weights();
        INDArray b = conv.layer().paramTable().get("b");
        StringBuilder s = new StringBuilder();
        String[] rgb = {"R", "G", "B"};
        for (int c = 0; c < 3; c++) {
            double v = w.getDouble(o, c, 0, 0);
            s.append(c == 0 ? (v < 0 ? "-" : "") : v < 0 ? " - " : " + ")
                    .append(String.format(Locale.ROOT, "%.2f %s", Math.abs(v), rgb[c]));
        }
        if (b != null) {
            double v = b.getDouble(o);
            s.append(v < 0 ? " - " : " + ").append(String.format(Locale.ROOT, "%.2f", Math.abs(v)));
        }
        return s.toString();
    }
}
