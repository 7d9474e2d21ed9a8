package cnnlab.training;

import cnnlab.ImageGrid;
import cnnlab.data.DataSource;
import cnnlab.data.ImageFolder;
import cnnlab.data.ShapeImages;
import cnnlab.data.ShapeTask;
import cnnlab.models.ColorCnn;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Pictures of what a trained CNN computes, after the book's visualisations:
 * <ul>
 * <li>{@value #KERNELS}: the first convolution's kernels (18.2.4 table 18-3, 18.4.4 figure 18-34 rows 1-2),
 * one tile per output channel (RGB for kernels over 3 input channels) or per (output, input) channel pair,
 * each min-max scaled; kernels of 5×5 and more also get a blurred row, the book's way of reading them;</li>
 * <li>{@value #FEATURES}: for one sample, the conv / activation / pool outputs of the first and second
 * convolution groups (figures 18-34 rows 3-5 and 18-35), one row per layer, one tile per channel, each map
 * min-max scaled;</li>
 * <li>{@value #COLOR_1X1}, only when the first convolution is 1×1 over RGB (the colour CNN of 18.1): figure
 * 18-20 — one rectangle of each colour, the 1×1 feature maps, the three second-group conv maps as one
 * false-colour RGB picture and their ReLU, each row on one scale shared by all samples so colours compare.</li>
 * </ul>
 *
 * <p>Layers are found by the chapter nets' names ({@code c1 relu1 p1 c2 relu2 p2}); in other chains the
 * first two convolutions (layers with a 4-D weight {@code W}) and the activation / pooling layers right
 * after each. Of a {@link ComputationGraph} only the first convolution vertex's kernels are drawn.
 * Everything runs one forward pass on one image: well under a second for the chapter nets.
 */
public final class Visualizer {
    public static final String KERNELS = "kernels.png";
    public static final String FEATURES = "features.png";
    public static final String COLOR_1X1 = "color-1x1.png";

    /** The narrowest picture written, so that each section's one-line label fits. */
    static final int MIN_WIDTH = 400;
    /** Height of the label band above each section. */
    static final int LABEL_H = 18;
    /** About how many screen pixels a kernel, a feature map and a figure-18-20 map are drawn. */
    static final int KERNEL_PX = 64;
    static final int FEATURE_PX = 56;
    static final int COLOR_PX = 84;
    /** At most this many channels of one layer are drawn, in rows of at most {@link #COLUMNS}. */
    static final int MAX_CHANNELS = 32;
    static final int COLUMNS = 16;
    /** Kernels at least this big also get a blurred row (18.4.4: "squint at them"). */
    static final int BLUR_FROM = 5;

    /**
     * One picture to run through the net.
     *
     * @param raw a {@code [1, channels, height, width]} batch of raw pixels 0..255
     * @param description what it is, e.g. {@code test image 0 (red-circle)}
     * @param fromTestSet whether it was drawn from the model's own test set (the colour figure then uses
     *                    freshly drawn rectangles of each colour, as the book does)
     */
    public record Sample(INDArray raw, String description, boolean fromTestSet) {
    }

    /** The pictures written, and what the reader should know about them (things left out). */
    public record Result(List<Path> files, List<String> notes) {
    }

    private Visualizer() {
    }

    /** Image {@code index} (0-based) of a data set's test part. */
    public static Sample testSample(DataSource src, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("sample index must be 0 or more, got " + index);
        }
        DataSetIterator it = src.test(256);
        int seen = 0;
        while (it.hasNext()) {
            DataSet ds = it.next();
            int n = ds.numExamples();
            if (index < seen + n) {
                int i = index - seen;
                INDArray raw = ds.getFeatures().get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all(),
                        NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
                int label = ds.getLabels().getRow(i).argMax().getInt(0);
                return new Sample(raw, "test image " + index + " (" + src.classNames().get(label) + ")", true);
            }
            seen += n;
        }
        throw new IllegalArgumentException("test image " + index + " does not exist: the " + src.name()
                + " test set has " + seen + " images (0.." + (seen - 1) + ")");
    }

    /** A picture file, resized to the model's input (see {@link ImageFolder#readImage}). */
    public static Sample imageSample(Path file, ModelMeta meta) {
        byte[] chw = ImageFolder.readImage(file, meta.channels(), meta.height(), meta.width());
        float[] f = new float[chw.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = chw[i] & 0xFF;
        }
        INDArray raw = Nd4j.create(f, new long[] {1, meta.channels(), meta.height(), meta.width()}, 'c');
        return new Sample(raw, String.valueOf(file.getFileName()), false);
    }

    /**
     * Like {@link #write} but never throws: for the training loop, where a picture must not fail a run.
     * A net it cannot draw gives no files and the reason as the only note.
     */
    public static Result tryWrite(Net net, ModelMeta meta, Pipeline pipeline, Sample sample, Path dir) {
        try {
            return write(net, meta, pipeline, sample, dir);
        } catch (RuntimeException e) {
            return new Result(List.of(), List.of("no visualisation: " + e.getMessage()));
        }
    }

    /**
     * For the end of a training run: the pictures for test image 0 of {@code src}; never throws (see
     * {@link #tryWrite(Net, ModelMeta, Pipeline, Sample, Path)}).
     */
    public static Result tryWrite(Net net, ModelMeta meta, Pipeline pipeline, DataSource src, Path dir) {
        try {
            return write(net, meta, pipeline, testSample(src, 0), dir);
        } catch (RuntimeException e) {
            return new Result(List.of(), List.of("no visualisation: " + e.getMessage()));
        }
    }

    /**
     * Writes {@value #KERNELS}, {@value #FEATURES} and, for a 1×1 first convolution over RGB,
     * {@value #COLOR_1X1} into {@code dir}.
     *
     * @throws IllegalArgumentException when the net has no convolution layer or the sample does not fit it
     */
    public static Result write(Net net, ModelMeta meta, Pipeline pipeline, Sample sample, Path dir) {
        long[] want = {1, meta.channels(), meta.height(), meta.width()};
        if (!java.util.Arrays.equals(want, sample.raw().shape())) {
            throw new IllegalArgumentException("the sample has shape " + java.util.Arrays.toString(sample.raw().shape())
                    + ", the model takes " + java.util.Arrays.toString(want));
        }
        List<Path> files = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (net.isGraph()) {
            Named conv = firstConvVertex((ComputationGraph) net.model(), meta);
            files.add(write(stack(kernelSections(conv, " (first conv vertex of a graph)")), dir.resolve(KERNELS)));
            notes.add(meta.experiment() + " is a ComputationGraph: drew the kernels of its first convolution vertex '"
                    + conv.name + "' only; feature maps are drawn for layer chains (MultiLayerNetwork) only");
            return new Result(files, notes);
        }
        MultiLayerNetwork mln = (MultiLayerNetwork) net.model();
        List<List<Named>> groups = groups(mln, meta);
        Named c1 = groups.get(0).get(0);
        files.add(write(stack(kernelSections(c1, "")), dir.resolve(KERNELS)));

        INDArray x = pipeline.features(sample.raw());
        List<INDArray> acts = forward(mln, x, mln.getnLayers() - 1);
        INDArray probs = acts.get(acts.size() - 1);
        int pred = probs.argMax(1).getInt(0);
        List<Section> rows = new ArrayList<>();
        Grid in = new Grid(1, scaleFor(meta.height(), meta.width(), FEATURE_PX));
        in.add(ImageGrid.image(sample.raw().dup('c').data().asFloat(), meta.channels(), meta.height(), meta.width(), 255),
                "input");
        rows.add(new Section(String.format(Locale.ROOT, "%s -> predicted %s (%.0f%%)", sample.description(),
                className(meta, pred), 100 * probs.getDouble(0, pred)), in));
        for (List<Named> g : groups) {
            for (Named l : g) {
                rows.add(featureRow(l, acts.get(l.index), notes));
            }
        }
        if (groups.size() < 2) {
            notes.add(meta.experiment() + " has one convolution group: " + FEATURES + " shows that group only");
        }
        files.add(write(stack(rows), dir.resolve(FEATURES)));

        INDArray w1 = c1.weights();
        if (w1.size(1) == 3 && w1.size(2) == 1 && w1.size(3) == 1 && groups.size() >= 2) {
            files.add(write(stack(colourRows(mln, meta, pipeline, sample, groups)), dir.resolve(COLOR_1X1)));
            INDArray b1 = c1.layer.paramTable().get("b");
            if (b1 != null && ShapeTask.COLOR.dataName().equals(meta.data())) {
                notes.add(ColorCnn.contrastNote(c1.name, w1, b1));
            }
        }
        return new Result(files, notes);
    }

    // ---------------------------------------------------------------- finding the layers

    /** A layer with its name and its index in the chain (-1 in a graph). */
    private record Named(String name, Layer layer, int index) {
        INDArray weights() {
            return layer.paramTable().get("W");
        }

        org.deeplearning4j.nn.conf.layers.Layer conf() {
            return layer.conf().getLayer();
        }
    }

    private static boolean isConv(Layer l) {
        INDArray w = l.paramTable() == null ? null : l.paramTable().get("W");
        return w != null && w.rank() == 4;
    }

    /** An activation or pooling layer (DL4J's, or a parameter-free one named so). */
    private static boolean isActivationOrPool(Layer l) {
        var c = l.conf().getLayer();
        if (c instanceof ActivationLayer || c instanceof SubsamplingLayer) {
            return true;
        }
        String cls = c.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        return l.numParams() == 0 && (cls.contains("pool") || cls.contains("subsampl") || cls.contains("activation"));
    }

    /** The first two convolution groups: each a conv layer followed by its activation / pooling layers. */
    private static List<List<Named>> groups(MultiLayerNetwork mln, ModelMeta meta) {
        Layer[] layers = mln.getLayers();
        List<Named> all = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            all.add(new Named(layers[i].conf().getLayer().getLayerName(), layers[i], i));
        }
        List<List<Named>> groups = new ArrayList<>();
        if (byName(all, "c1") != null && isConv(byName(all, "c1").layer)) {
            for (String k : new String[] {"1", "2"}) {
                Named conv = byName(all, "c" + k);
                if (conv == null || !isConv(conv.layer)) {
                    continue;
                }
                List<Named> g = new ArrayList<>(List.of(conv));
                for (String n : new String[] {"relu" + k, "p" + k}) {
                    if (byName(all, n) != null) {
                        g.add(byName(all, n));
                    }
                }
                groups.add(g);
            }
            return groups;
        }
        for (int i = 0; i < all.size() && groups.size() < 2; i++) {
            if (isConv(all.get(i).layer)) {
                List<Named> g = new ArrayList<>(List.of(all.get(i)));
                while (i + 1 < all.size() && isActivationOrPool(all.get(i + 1).layer)) {
                    g.add(all.get(++i));
                }
                groups.add(g);
            }
        }
        if (groups.isEmpty()) {
            throw notCnn(meta);
        }
        return groups;
    }

    private static Named byName(List<Named> all, String name) {
        return all.stream().filter(n -> name.equals(n.name)).findFirst().orElse(null);
    }

    private static Named firstConvVertex(ComputationGraph g, ModelMeta meta) {
        GraphVertex[] vs = g.getVertices();
        for (int i : g.topologicalSortOrder()) {
            if (vs[i].hasLayer() && isConv(vs[i].getLayer())) {
                return new Named(vs[i].getVertexName(), vs[i].getLayer(), -1);
            }
        }
        throw notCnn(meta);
    }

    private static IllegalArgumentException notCnn(ModelMeta meta) {
        return new IllegalArgumentException(meta.experiment() + " has no convolution layer (it is not a CNN), so it"
                + " has no kernels or feature maps to draw; visualize a CNN model such as shape-cnn");
    }

    // ---------------------------------------------------------------- kernels

    private static List<Section> kernelSections(Named conv, String where) {
        float[] w = conv.weights().castTo(DataType.FLOAT).dup('c').data().asFloat();
        long[] s = conv.weights().shape();
        int out = (int) s[0], in = (int) s[1], kh = (int) s[2], kw = (int) s[3];
        int scale = scaleFor(kh, kw, KERNEL_PX);
        int plane = kh * kw;
        boolean rgb = in == 3;
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int o = 0; o < out; o++) {
            if (rgb) {
                float[] k = new float[3 * plane];
                System.arraycopy(w, o * 3 * plane, k, 0, k.length);
                tiles.add(ImageGrid.image(minMax(k), 3, kh, kw, 1));
                captions.add(conv.name + "[" + o + "]");
            } else {
                for (int c = 0; c < in; c++) {
                    float[] k = new float[plane];
                    System.arraycopy(w, (o * in + c) * plane, k, 0, plane);
                    tiles.add(ImageGrid.image(minMax(k), 1, kh, kw, 1));
                    captions.add(conv.name + (in == 1 ? "[" + o + "]" : "[" + o + "," + c + "]"));
                }
            }
        }
        if (rgb && kh == 1 && kw == 1 && out <= 8) {
            // a 1x1 kernel over RGB is a weighted sum of the colour channels (18.1.4): say which, one per row
            List<Section> sums = new ArrayList<>();
            for (int o = 0; o < out; o++) {
                sums.add(new Section(conv.name + "[" + o + "] = " + weightedSum(conv, o) + where,
                        new Grid(1, scale).add(tiles.get(o), captions.get(o))));
            }
            return sums;
        }
        int columns = rgb || in == 1 ? Math.min(out, COLUMNS) : Math.min(in, COLUMNS);
        Grid grid = new Grid(columns, scale);
        for (int i = 0; i < tiles.size(); i++) {
            grid.add(tiles.get(i), captions.get(i));
        }
        String label = String.format(Locale.ROOT, "%s%s: %d kernels %dx%d%s, dark = low, bright = high weights", conv.name,
                where, out, kh, kw, rgb ? " x RGB" : in == 1 ? "" : " x " + in + " channels");
        List<Section> sections = new ArrayList<>(List.of(new Section(label, grid)));
        if (Math.min(kh, kw) >= BLUR_FROM) {
            Grid blurred = new Grid(columns, 1);
            for (int i = 0; i < tiles.size(); i++) {
                // bilinear enlargement: the kernel's blocks melt into its overall pattern
                blurred.add(ImageGrid.resized(tiles.get(i), kw * scale, kh * scale), captions.get(i));
            }
            sections.add(new Section("the same kernels blurred, to see their pattern (18.4.4)", blurred));
        }
        return sections;
    }

    /** Values scaled to [0, 1] (all 0.5 when constant). */
    static float[] minMax(float[] v) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = hi > lo ? (v[i] - lo) / (hi - lo) : 0.5f;
        }
        return out;
    }

    // ---------------------------------------------------------------- feature maps

    /**
     * The outputs of layers {@code 0..last} in inference mode (the last one's are the class probabilities), each copied as soon as it is computed: DL4J's
     * activation layers work in place, so after {@code MultiLayerNetwork.feedForward} a conv output has been
     * overwritten by the ReLU after it. One pass, layer by layer, with each layer's input preprocessor.
     */
    private static List<INDArray> forward(MultiLayerNetwork mln, INDArray x, int last) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        List<INDArray> outs = new ArrayList<>();
        INDArray a = x.castTo(mln.params().dataType());
        for (int i = 0; i <= last; i++) {
            InputPreProcessor pp = mln.getLayerWiseConfigurations().getInputPreProcess(i);
            if (pp != null) {
                a = pp.preProcess(a, (int) a.size(0), mgr);
            }
            a = mln.getLayer(i).activate(a, false, mgr);
            outs.add(a.dup());
        }
        return outs;
    }

    private static Section featureRow(Named l, INDArray act, List<String> notes) {
        if (act.rank() != 4) {
            throw new IllegalArgumentException("layer " + l.name + " gives " + act.rank() + "-D output, not feature maps");
        }
        int ch = (int) act.size(1), h = (int) act.size(2), w = (int) act.size(3);
        int shown = Math.min(ch, MAX_CHANNELS);
        Grid grid = new Grid(Math.min(shown, COLUMNS), scaleFor(h, w, FEATURE_PX));
        double[] v = act.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int c = 0; c < shown; c++) {
            grid.add(ImageGrid.grey(map(v, c * h * w, h, w)), l.name + "[" + c + "]");
        }
        String label = String.format(Locale.ROOT, "%s (%s): %d maps %dx%d%s", l.name, describe(l.conf()), ch, h, w,
                shown < ch ? ", first " + shown + " shown" : "");
        if (shown < ch) {
            notes.add(l.name + ": drew the first " + shown + " of " + ch + " maps");
        }
        return new Section(label, grid);
    }

    private static double[][] map(double[] v, int offset, int h, int w) {
        double[][] m = new double[h][w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(v, offset + y * w, m[y], 0, w);
        }
        return m;
    }

    private static String describe(org.deeplearning4j.nn.conf.layers.Layer c) {
        if (c instanceof ConvolutionLayer cl) {
            return "conv " + cl.getKernelSize()[0] + "x" + cl.getKernelSize()[1];
        }
        if (c instanceof SubsamplingLayer s) {
            return s.getPoolingType().name().toLowerCase(Locale.ROOT) + "-pool " + s.getKernelSize()[0] + "x"
                    + s.getKernelSize()[1];
        }
        if (c instanceof ActivationLayer a) {
            return String.valueOf(a.getActivationFn()).toLowerCase(Locale.ROOT);
        }
        return c.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- figure 18-20

    /**
     * Figure 18-20: inputs, the two 1×1 maps, the second group's three conv maps as false-colour RGB, and
     * their activation. Each row shares one scale over all samples (per channel for RGB rows).
     */
    private static List<Section> colourRows(MultiLayerNetwork mln, ModelMeta meta, Pipeline pipeline, Sample sample,
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
        List<INDArray> acts = forward(mln, x, mln.getnLayers() - 1);
        int[] pred = acts.get(acts.size() - 1).argMax(1).toIntVector();
        int scale = scaleFor(h, w, COLOR_PX);
        List<Section> rows = new ArrayList<>();

        Grid in = new Grid(n, scale);
        for (int i = 0; i < n; i++) {
            float[] chw = raw.slice(i).dup('c').data().asFloat();
            String p = className(meta, pred[i]);
            boolean wrong = names.size() == n && n > 1 && !names.get(i).equals(p);
            in.add(ImageGrid.image(chw, 3, h, w, 255), names.get(i) + " -> " + p, wrong);
        }
        rows.add(new Section(what + ", predicted", in));

        Named c1 = groups.get(0).get(0);
        INDArray a1 = acts.get(c1.index);
        for (int c = 0; c < a1.size(1); c++) {
            Grid g = new Grid(n, scaleFor(a1.size(2), a1.size(3), COLOR_PX));
            for (BufferedImage t : shared(a1, new int[] {c})) {
                g.add(t, c1.name + "[" + c + "]");
            }
            rows.add(new Section(c1.name + "[" + c + "] = " + weightedSum(c1, c) + "  (R, G, B in 0..1)", g));
        }
        List<Named> g2 = groups.get(1);
        for (Named l : g2.subList(0, Math.min(2, g2.size()))) {
            INDArray a = acts.get(l.index);
            int[] rgb = {0, Math.min(1, (int) a.size(1) - 1), Math.min(2, (int) a.size(1) - 1)};
            Grid g = new Grid(n, scaleFor(a.size(2), a.size(3), COLOR_PX));
            for (BufferedImage t : shared(a, rgb)) {
                g.add(t, l.name + "[0..2]");
            }
            rows.add(new Section(l.name + " (" + describe(l.conf()) + "): maps 0, 1, 2 as R, G, B", g));
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
    private static String weightedSum(Named conv, int o) {
        INDArray w = conv.weights();
        INDArray b = conv.layer.paramTable().get("b");
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

    // ---------------------------------------------------------------- layout

    /** A labelled grid: one band of text, then the grid. */
    private record Section(String label, Grid grid) {
    }

    /** Grey of the 1-pixel frame around every tile (white maps would melt into the page otherwise). */
    static final int FRAME = 0xA0A0A0;

    /** An {@link ImageGrid} of framed tiles, each tile pixel drawn {@code scale × scale}. */
    private static final class Grid {
        final ImageGrid grid;
        final int scale;

        Grid(int columns, int scale) {
            this.grid = new ImageGrid(columns, 1);
            this.scale = scale;
        }

        Grid add(BufferedImage tile, String caption) {
            return add(tile, caption, false);
        }

        Grid add(BufferedImage tile, String caption, boolean mark) {
            int w = tile.getWidth() * scale, h = tile.getHeight() * scale;
            BufferedImage out = new BufferedImage(w + 2, h + 2, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setColor(new Color(FRAME));
            g.fillRect(0, 0, w + 2, h + 2);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(tile, 1, 1, w, h, null);
            g.dispose();
            grid.add(out, caption, mark);
            return this;
        }
    }

    /** An integer scale that draws an {@code h × w} map about {@code px} pixels big. */
    static int scaleFor(long h, long w, int px) {
        return (int) Math.max(1, Math.round((double) px / Math.max(h, w)));
    }

    private static String className(ModelMeta meta, int k) {
        return k < meta.classNames().size() ? meta.classNames().get(k) : String.valueOf(k);
    }

    /** Sections one under the other, each under its label, {@link #MIN_WIDTH} wide or more. */
    private static BufferedImage stack(List<Section> sections) {
        List<BufferedImage> grids = new ArrayList<>();
        int w = MIN_WIDTH, h = 0;
        for (Section s : sections) {
            BufferedImage g = s.grid.grid.render();
            grids.add(g);
            w = Math.max(w, g.getWidth());
            h += LABEL_H + g.getHeight();
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        int y = 0;
        for (int i = 0; i < sections.size(); i++) {
            g.setColor(new Color(0x20, 0x30, 0x60));
            g.drawString(sections.get(i).label, 4, y + 14);
            g.drawImage(grids.get(i), 0, y + LABEL_H, null);
            y += LABEL_H + grids.get(i).getHeight();
        }
        g.dispose();
        return out;
    }

    /** Writes a PNG, creating its folder (so nothing is created for a net that cannot be drawn). */
    private static Path write(BufferedImage img, Path png) {
        ImageGrid.writePng(img, png);
        return png;
    }
}
