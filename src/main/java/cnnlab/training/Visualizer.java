package cnnlab.training;

import static cnnlab.training.FigureLayout.scaleFor;

import cnnlab.ImageGrid;
import cnnlab.data.DataSource;
import cnnlab.data.ImageFolder;
import cnnlab.training.FigureLayout.Grid;
import cnnlab.training.FigureLayout.Section;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * 18-20, drawn by {@link ColorFigure}.</li>
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

    /** About how many screen pixels a kernel and a feature map are drawn. */
    static final int KERNEL_PX = 64;
    static final int FEATURE_PX = 56;
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
            files.add(FigureLayout.write(FigureLayout.stack(kernelSections(conv, " (first conv vertex of a graph)")), dir.resolve(KERNELS)));
            notes.add(meta.experiment() + " is a ComputationGraph: drew the kernels of its first convolution vertex '"
                    + conv.name + "' only; feature maps are drawn for layer chains (MultiLayerNetwork) only");
            return new Result(files, notes);
        }
        MultiLayerNetwork mln = (MultiLayerNetwork) net.model();
        List<List<Named>> groups = groups(mln, meta);
        Named c1 = groups.get(0).get(0);
        files.add(FigureLayout.write(FigureLayout.stack(kernelSections(c1, "")), dir.resolve(KERNELS)));

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
        files.add(FigureLayout.write(FigureLayout.stack(rows), dir.resolve(FEATURES)));

        if (ColorFigure.applies(groups)) {
            files.add(ColorFigure.write(mln, meta, pipeline, sample, groups, dir.resolve(COLOR_1X1), notes));
        }
        return new Result(files, notes);
    }

    // ---------------------------------------------------------------- finding the layers

    /** A layer with its name and its index in the chain (-1 in a graph). */
    record Named(String name, Layer layer, int index) {
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
                sums.add(new Section(conv.name + "[" + o + "] = " + ColorFigure.weightedSum(conv, o) + where,
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
    static List<INDArray> forward(MultiLayerNetwork mln, INDArray x, int last) {
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

    static String describe(org.deeplearning4j.nn.conf.layers.Layer c) {
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

    static String className(ModelMeta meta, int k) {
        return k < meta.classNames().size() ? meta.classNames().get(k) : String.valueOf(k);
    }
}
