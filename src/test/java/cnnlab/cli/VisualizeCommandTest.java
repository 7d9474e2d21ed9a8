package cnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.ImageGrid;
import cnnlab.data.InputView;
import cnnlab.data.ShapeTask;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import cnnlab.models.ShapeCnn;
import cnnlab.models.ShapeDnn;
import cnnlab.training.ModelMeta;
import cnnlab.training.Net;
import cnnlab.training.PictureLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;

/** {@code cnnlab visualize} on saved (untrained) shape models. */
class VisualizeCommandTest {
    @TempDir
    static Path tmp;

    static Path cnnZip;
    static Path dnnZip;

    /** Kernels of the shape CNN: 8 grey 3x3 kernels, each drawn 21 times. */
    static final PictureLayout KERNELS = new PictureLayout().section(8, 8, 21, 3, 3);
    /** Input; c1, relu1 (8 maps 28x28, x2); p1 (8 maps 14x14, x4); c2, relu2 (16 maps 12x12, x5); p2 (6x6, x9). */
    static final PictureLayout FEATURES = new PictureLayout().section(1, 1, 2, 28, 28)
            .section(8, 8, 2, 28, 28).section(8, 8, 2, 28, 28).section(8, 8, 4, 14, 14)
            .section(16, 16, 5, 12, 12).section(16, 16, 5, 12, 12).section(16, 16, 9, 6, 6);

    @BeforeAll
    static void saveModels() {
        ShapeTask t = ShapeTask.SHAPE;
        NetSpec spec = new NetSpec(1, 28, 28, 5, 0.1, 7, LayerChoice.DL4J);
        cnnZip = tmp.resolve("models/shape-cnn.zip");
        Net.build(ShapeCnn.conf(spec)).save(cnnZip, new ImagePreProcessingScaler(0, 1),
                new ModelMeta("shape-cnn", "shape", InputView.IMAGE, 1, 28, 28, t.classNames(), "dl4j", 7).toJson());
        dnnZip = tmp.resolve("models/shape-dnn.zip");
        Net.build(ShapeDnn.conf(spec)).save(dnnZip, new ImagePreProcessingScaler(0, 1),
                new ModelMeta("shape-dnn", "shape", InputView.GREY_FLAT, 1, 28, 28, t.classNames(), "dl4j", 7).toJson());
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream o = System.out, e = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void runFolderGetsThePicturesAndItsReportShowsThem() throws Exception {
        Path runDir = Files.createDirectories(tmp.resolve("runs/shape-cnn/20260101-000000"));
        Path zip = runDir.resolve("model.zip");
        Files.copy(cnnZip, zip);
        Files.writeString(runDir.resolve("result.json"), "{}");
        Files.writeString(runDir.resolve("report.html"),
                "<html><body><h2>Per-class statistics</h2></body></html>\n");
        Run r = run("visualize", zip.toString(), "--sample", "250");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + runDir.resolve("kernels.png")), r.out());
        assertTrue(r.out().contains("wrote " + runDir.resolve("features.png")), r.out());
        assertTrue(r.out().contains("updated " + runDir.resolve("report.html")), r.out());
        KERNELS.assertNoBlankSection(KERNELS.check(runDir.resolve("kernels.png")), "kernels.png");
        FEATURES.assertNoBlankSection(FEATURES.check(runDir.resolve("features.png")), "features.png", 0, 1);
        String html = Files.readString(runDir.resolve("report.html"));
        assertTrue(html.contains("<img src=\"kernels.png\">") && html.contains("<img src=\"features.png\">"), html);
        assertFalse(html.contains("color-1x1.png"), html);
    }

    @Test
    void ownPictureGoesToOut() throws Exception {
        // a 40x30 picture: visualize resizes it to the model's 28x28
        float[] chw = new float[3 * 30 * 40];
        for (int i = 0; i < 30 * 40; i++) {
            chw[i] = (i % 40) > 10 && (i % 40) < 30 && i / 40 > 5 ? 255 : 0;
        }
        Path png = tmp.resolve("mine.png");
        ImageGrid.writePng(ImageGrid.image(chw, 3, 30, 40, 255), png);
        Path out = tmp.resolve("mine-out");
        Run r = run("visualize", cnnZip.toString(), "--image", png.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        KERNELS.check(out.resolve("kernels.png"));
        FEATURES.assertNoBlankSection(FEATURES.check(out.resolve("features.png")), "features.png", 0, 1);
        assertFalse(r.out().contains("updated"), "no report in --out: " + r.out());
    }

    @Test
    void aZipOutsideARunFolderGetsAFolderBesideIt() throws Exception {
        Run r = run("visualize", cnnZip.toString());
        assertEquals(0, r.code(), r.err());
        KERNELS.check(tmp.resolve("models/shape-cnn-visualize/kernels.png"));
    }

    @Test
    void userErrorsExitWith2AndOneClearLine() {
        Run dnn = run("visualize", dnnZip.toString());
        assertEquals(2, dnn.code());
        assertTrue(dnn.err().contains("shape-dnn has no convolution layer (it is not a CNN)"), dnn.err());
        assertEquals(1, dnn.err().trim().lines().count(), dnn.err());
        assertFalse(Files.exists(tmp.resolve("models/shape-dnn-visualize")), "no empty output folder");

        Run range = run("visualize", cnnZip.toString(), "--sample", "1000");
        assertEquals(2, range.code());
        assertTrue(range.err().contains("--sample 1000") && range.err().contains("has 1000 images (0..999)"),
                range.err());

        Run both = run("visualize", cnnZip.toString(), "--sample", "1", "--image", "x.png");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("not both"), both.err());

        Run missing = run("visualize", tmp.resolve("nope.zip").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("model file not found"), missing.err());
    }
}
