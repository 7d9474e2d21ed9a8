package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.InMemorySource;
import cnnlab.data.InputView;
import cnnlab.data.ShapeTask;
import cnnlab.models.ColorCnn;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import cnnlab.models.ShapeColorCnn;
import cnnlab.models.ShapeDnn;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@link Visualizer} on untrained chapter nets: picture sizes from the layout rules, and no blank tiles. */
class VisualizerTest {
    @TempDir
    Path tmp;

    static ModelMeta meta(String experiment, ShapeTask task) {
        return new ModelMeta(experiment, task.dataName(), InputView.IMAGE, task.channels(), 28, 28, task.classNames(),
                "dl4j", 7);
    }

    static Pipeline pipeline(ModelMeta m) {
        return new Pipeline(new ImagePreProcessingScaler(0, 1), m.view());
    }

    static NetSpec spec(ShapeTask task) {
        return new NetSpec(task.channels(), 28, 28, task.classNames().size(), 0.1, 7, LayerChoice.DL4J);
    }

    @Test
    void shapeColorCnnKernelsAndFeatureMaps() throws Exception {
        ShapeTask task = ShapeTask.SHAPE_COLOR;
        ModelMeta m = meta("shape-color-cnn", task);
        Net net = Net.build(ShapeColorCnn.conf(spec(task)));
        InMemorySource data = task.generate(2, 2, 7);
        Visualizer.Sample s = Visualizer.testSample(data, 3);
        assertEquals("test image 3 (red-rectangle)", s.description());
        Visualizer.Result r = Visualizer.write(net, m, pipeline(m), s, tmp);
        assertEquals(List.of(tmp.resolve("kernels.png"), tmp.resolve("features.png")), r.files());
        assertFalse(Files.exists(tmp.resolve("color-1x1.png")), "no 1x1 figure for a 3x3 first layer");

        // 8 kernels 3x3 over RGB: one colour tile each, drawn 21 times (63 px)
        PictureLayout kernels = new PictureLayout().section(8, 8, 21, 3, 3);
        BufferedImage k = kernels.check(tmp.resolve("kernels.png"));
        for (Rectangle t : kernels.tiles(0)) {
            assertTrue(PictureLayout.colours(k, t).size() > 1, "every kernel tile shows a pattern");
        }
        // input, then c1 relu1 (8 maps 28x28, x2), p1 (8 maps 14x14, x4), c2 relu2 (16 maps 12x12, x5),
        // p2 (16 maps 6x6, x9)
        PictureLayout features = new PictureLayout().section(1, 1, 2, 28, 28)
                .section(8, 8, 2, 28, 28).section(8, 8, 2, 28, 28).section(8, 8, 4, 14, 14)
                .section(16, 16, 5, 12, 12).section(16, 16, 5, 12, 12).section(16, 16, 9, 6, 6);
        BufferedImage f = features.check(tmp.resolve("features.png"));
        features.assertNoBlankSection(f, "features.png");
        // the conv maps are drawn before their ReLU: some c1 tile differs from its relu1 tile
        boolean differs = false;
        for (int i = 0; i < 8; i++) {
            differs |= !pixels(f, features.tiles(1).get(i)).equals(pixels(f, features.tiles(2).get(i)));
        }
        assertTrue(differs, "c1 maps are not their ReLU");
        // the input tile is the sample itself: red on black
        Set<Integer> input = PictureLayout.colours(f, features.tiles(0).get(0));
        assertEquals(Set.of(0x000000, 0xFF0000), input);
    }

    @Test
    void colourCnnDrawsFigure1820WithSharedScales() throws Exception {
        ShapeTask task = ShapeTask.COLOR;
        ModelMeta m = meta("color-cnn", task);
        Net net = Net.build(ColorCnn.conf(spec(task)));
        Visualizer.Result r = Visualizer.write(net, m, pipeline(m), Visualizer.testSample(task.generate(2, 2, 7), 0),
                tmp);
        assertEquals(3, r.files().size());

        // 2 kernels 1x1 over RGB: a colour swatch each, drawn 64 times, one per row under its weighted sum
        PictureLayout kernels = new PictureLayout().section(1, 1, 64, 1, 1).section(1, 1, 64, 1, 1);
        BufferedImage k = kernels.check(tmp.resolve("kernels.png"));
        for (Rectangle t : List.of(kernels.tiles(0).get(0), kernels.tiles(1).get(0))) {
            Set<Integer> swatch = PictureLayout.colours(k, t);
            assertEquals(1, swatch.size(), "a 1x1 kernel is one colour");
            assertFalse(swatch.contains(0xFFFFFF), "a drawn swatch, not the background");
        }
        // input; c1 relu1 (2 maps 28x28, x2); p1 (2 maps 14x14, x4); c2 relu2 (3 maps 12x12, x5); p2 (3 maps 6x6, x9)
        PictureLayout features = new PictureLayout().section(1, 1, 2, 28, 28)
                .section(2, 2, 2, 28, 28).section(2, 2, 2, 28, 28).section(2, 2, 4, 14, 14)
                .section(3, 3, 5, 12, 12).section(3, 3, 5, 12, 12).section(3, 3, 9, 6, 6);
        // this untrained net's ReLUs may all be zero for a pink picture (so c2 sees zeros): check the input and c1 rows
        features.assertNoBlankSection(features.check(tmp.resolve("features.png")), "features.png", 0, 1);

        // figure 18-20: six rectangles; c1[0]; c1[1]; c2 as RGB; relu2 as RGB - 28x28 maps x3, 12x12 maps x7
        PictureLayout fig = new PictureLayout().section(6, 6, 3, 28, 28).section(6, 6, 3, 28, 28)
                .section(6, 6, 3, 28, 28).section(6, 6, 7, 12, 12).section(6, 6, 7, 12, 12);
        BufferedImage c = fig.check(tmp.resolve("color-1x1.png"));
        fig.assertNoBlankSection(c, "color-1x1.png", 0, 1, 2, 3);
        // the inputs are the six colours of the colour task, in label order; the pixel at (14, 14) is always
        // inside a rectangle (its box spans [0,14) to [14,28))
        int[] want = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0x00FFFF, 0xFF00FF};
        for (int i = 0; i < 6; i++) {
            assertEquals(want[i], centre(c, fig.tiles(0).get(i), 3), "input " + i);
        }
        // one scale for the whole c1[0] row: the six colours give different grey levels (a per-tile scale would
        // paint every rectangle the same)
        Set<Integer> greys = new HashSet<>();
        for (Rectangle t : fig.tiles(1)) {
            greys.add(centre(c, t, 3));
        }
        assertTrue(greys.size() >= 4, "c1[0] separates the colours: " + greys.size() + " grey levels");
    }

    private static List<Integer> pixels(BufferedImage img, Rectangle r) {
        List<Integer> p = new java.util.ArrayList<>();
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                p.add(img.getRGB(x, y));
            }
        }
        return p;
    }

    /** The colour of map pixel (14, 14) of a tile drawn {@code scale} times. */
    private static int centre(BufferedImage img, Rectangle t, int scale) {
        return img.getRGB(t.x + 14 * scale + 1, t.y + 14 * scale + 1) & 0xFFFFFF;
    }

    @Test
    void graphGetsKernelsOfItsFirstConvVertexOnly() throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("in")
                .addLayer("a", new ConvolutionLayer.Builder(5, 5).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("b", new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build(), "in")
                .addVertex("m", new MergeVertex(), "a", "b")
                .addLayer("g", new GlobalPoolingLayer.Builder().build(), "m")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(5)
                        .activation(Activation.SOFTMAX).build(), "g")
                .setOutputs("out").setInputTypes(InputType.convolutional(28, 28, 1)).build();
        ModelMeta m = meta("some-graph", ShapeTask.SHAPE);
        Visualizer.Result r = Visualizer.write(Net.build(conf), m, pipeline(m),
                Visualizer.testSample(ShapeTask.SHAPE.generate(2, 2, 7), 0), tmp);
        assertEquals(List.of(tmp.resolve("kernels.png")), r.files());
        assertTrue(r.notes().get(0).contains("first convolution vertex 'a'"), r.notes().toString());
        // 4 grey kernels 5x5 drawn 13 times, then the same blurred (65x65, drawn once)
        PictureLayout kernels = new PictureLayout().section(4, 4, 13, 5, 5).section(4, 4, 1, 65, 65);
        kernels.assertNoBlankSection(kernels.check(tmp.resolve("kernels.png")), "kernels.png");
    }

    @Test
    void aNetWithoutConvolutionsIsRefusedClearly() throws Exception {
        ShapeTask task = ShapeTask.SHAPE;
        ModelMeta m = new ModelMeta("shape-dnn", "shape", InputView.GREY_FLAT, 1, 28, 28, task.classNames(), "dl4j", 7);
        Net net = Net.build(ShapeDnn.conf(spec(task)));
        Visualizer.Sample s = Visualizer.testSample(task.generate(2, 2, 7), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Visualizer.write(net, m, pipeline(m), s, tmp));
        assertTrue(e.getMessage().contains("shape-dnn has no convolution layer"), e.getMessage());
        for (Visualizer.Result r : List.of(Visualizer.tryWrite(net, m, pipeline(m), s, tmp),
                Visualizer.tryWrite(net, m, pipeline(m), task.generate(2, 2, 7), tmp))) {
            assertTrue(r.files().isEmpty());
            assertTrue(r.notes().get(0).contains("no convolution layer"), r.notes().toString());
        }
        assertEquals(0, Files.list(tmp).count(), "nothing written");
    }

    @Test
    void sampleIndexOutOfRangeNamesTheTestSetSize() {
        InMemorySource data = ShapeTask.SHAPE.generate(2, 2, 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Visualizer.testSample(data, 10));
        assertTrue(e.getMessage().contains("has 10 images (0..9)"), e.getMessage());
    }

    @Test
    void reportShowsPicturesAddedLater() throws Exception {
        Path report = tmp.resolve("report.html");
        // a report as an older cnnlab wrote it (no marks), then one refreshed twice
        Files.writeString(report, "<html><body><h1>x</h1><h2>Per-class statistics</h2><pre></pre></body></html>\n");
        assertFalse(Report.refreshPictures(tmp.resolve("nowhere")));
        Files.write(tmp.resolve("kernels.png"), new byte[] {1});
        assertTrue(Report.refreshPictures(tmp));
        Files.write(tmp.resolve("features.png"), new byte[] {1});
        assertTrue(Report.refreshPictures(tmp));
        String html = Files.readString(report);
        assertEquals(1, count(html, "<img src=\"kernels.png\">"), html);
        assertEquals(1, count(html, "<img src=\"features.png\">"), html);
        assertEquals(0, count(html, "color-1x1.png"), html);
        assertTrue(html.indexOf("features.png") < html.indexOf("Per-class statistics"), html);
        assertTrue(html.startsWith("<html><body><h1>x</h1>") && html.endsWith("</body></html>\n"), html);
    }

    private static int count(String s, String part) {
        return s.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
