package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.cli.Main;
import cnnlab.data.ImageFolder;
import cnnlab.data.InMemorySource;
import cnnlab.data.ShapeTask;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** One short real training run, shared by the tests below. */
class TrainerTest {
    @TempDir
    static Path tmp;

    static InMemorySource data;
    static Trainer.Outcome run;

    @BeforeAll
    static void train() {
        // 60 training and 20 test images per class: a tenth of the book's set
        data = ShapeTask.SHAPE_COLOR.generate(60, 20, 3);
        Experiment e = Experiments.get("shape-color-cnn");
        Trainer.Options o = new Trainer.Options(e).epochs(4).seed(3).out(tmp.resolve("runs"))
                .modelsDir(tmp.resolve("models")).data(data);
        run = new Trainer(new PrintStream(new ByteArrayOutputStream())).run(o);
    }

    @Test
    void shortTrainingIsFarAboveChance() {
        double best = run.result().testAccuracyBest();
        assertTrue(best > 0.33, "9 classes: chance is 0.11, got " + best); // the book's wide init learns slowly on 540 images
        History h = run.history();
        assertTrue(h.checks().size() >= 4 * 10, "about 10 validation checks per epoch, got " + h.checks().size());
        assertTrue(h.last().trainLoss() < h.checks().get(0).trainLoss(), "training loss falls");
        assertEquals(h.best().valAccuracy(), run.result().bestValidationAccuracy(), 0);
    }

    @Test
    void runFolderHoldsEverything() throws Exception {
        for (String f : new String[] {"model.zip", "model-last.zip", "metrics.csv", "loss.png", "accuracy.png",
            "confusion.png", "predictions.png", "report.html", "result.json"}) {
            Path p = run.runDir().resolve(f);
            assertTrue(Files.size(p) > 100, f + " written");
        }
        Map<String, Object> r = Json.readMap(run.runDir().resolve("result.json"));
        // the contract that cnnlab results and the docs read: these fields, in this order
        assertEquals(List.of("experiment", "section", "book_accuracy", "book_model", "test_accuracy_last",
                "test_accuracy_best", "best_validation_accuracy", "test_examples", "epochs", "iterations",
                "stopped_early", "batch", "learning_rate", "train_seconds", "images_per_second", "backend",
                "backend_detail", "seed", "layers", "init", "parameters", "train_examples", "validation_set",
                "train_limit", "resumed"), List.copyOf(r.keySet()));
        assertEquals(Json.write(run.result().toJson()) + "\n", Files.readString(run.runDir().resolve("result.json")));
        assertEquals("shape-color-cnn", r.get("experiment"));
        assertEquals(0.97, (double) r.get("book_accuracy"), 0);
        assertEquals(4, r.get("epochs"));
        assertEquals("held-out", r.get("validation_set"));
        assertTrue(Files.exists(tmp.resolve("models/shape-color-cnn.zip")));
        assertEquals(History.readCsv(run.runDir().resolve("metrics.csv")).checks().size(), run.history().checks().size());
        String html = Files.readString(run.runDir().resolve("report.html"));
        assertTrue(html.contains("predictions.png") && html.contains("loss.png") && html.contains("book: 97.00%"));
    }

    @Test
    void validatingOnTheTestSetTrainsOnEverythingAndComparesOnlyTheLastModel() {
        InMemorySource all = data.validatingOnTest();
        assertTrue(all.validationIsTest() && !data.validationIsTest());
        assertEquals(data.trainSize() + data.validationSet().size(), all.trainSize());
        assertEquals(data.testSet(), all.validationSet());
        int[] joined = all.trainSet().classCounts(), parts = data.trainSet().classCounts();
        for (int c = 0; c < parts.length; c++) {
            assertEquals(parts[c] + data.validationSet().classCounts()[c], joined[c]);
        }
        String onTest = TrainResult.verdict(0.70, 0.75, 0.72, Experiment.BookModel.BEST, true);
        assertTrue(onTest.contains("last model -> below by 2.00 points"), onTest);
        assertFalse(TrainResult.comparesBest(Map.of("book_model", "best", "validation_set", "test")));
    }

    @Test
    void theVerdictComparesTheModelTheBookTested() {
        String last = TrainResult.verdict(0.70, 0.75, 0.72, Experiment.BookModel.LAST, false);
        assertTrue(last.contains("last model -> below by 2.00 points"), last);
        String best = TrainResult.verdict(0.70, 0.75, 0.72, Experiment.BookModel.BEST, false);
        assertTrue(best.contains("best-validation model -> above by 3.00 points"), best);
        assertTrue(TrainResult.comparesBest(Map.of("book_model", "best", "validation_set", "held-out")));
        assertFalse(TrainResult.comparesBest(Map.of("book_model", "last", "validation_set", "held-out")));
        String none = TrainResult.verdict(0.70, 0.75, Double.NaN, Experiment.BookModel.BEST, false);
        assertFalse(none.contains("book"), none);
        assertEquals(Experiment.BookModel.LAST, run.result().bookModel());
        assertFalse(run.result().comparesBest());
        assertEquals(run.result().verdict(), TrainResult.verdict(run.result().testAccuracyLast(),
                run.result().testAccuracyBest(), 0.97, Experiment.BookModel.LAST, false));
        assertEquals(Experiment.BookModel.BEST, Experiments.get("shape-cnn").bookModel());
        for (String name : new String[] {"mnist-cnn", "mnist-dnn", "fashion-cnn", "shape-color-dnn", "cifar10-cnn"}) {
            assertEquals(Experiment.BookModel.LAST, Experiments.get(name).bookModel(), name);
        }
    }

    @Test
    void savedModelReloadsWithIdenticalPredictions() {
        SavedModel m = SavedModel.load(run.runDir().resolve("model.zip"));
        assertEquals("shape-color-cnn", m.meta().experiment());
        assertEquals(data.classNames(), m.meta().classNames());
        DataSet raw = data.test(64).next();
        INDArray inMemory = run.net().output(new Pipeline(data.normalizer(), m.meta().view()).features(raw.getFeatures()));
        INDArray reloaded = m.net().output(m.pipeline().features(raw.getFeatures()));
        assertEquals(inMemory, reloaded);
        DataSetIterator it = data.test(256);
        it.setPreProcessor(m.pipeline());
        assertEquals(run.result().testAccuracyBest(),
                Evaluator.evaluate(m.net(), it, data.classNames()).accuracy(), 0);
    }

    @Test
    void evalOnAnImageFolderMatchesInMemoryEvaluation() throws Exception {
        Path dir = tmp.resolve("pngs");
        assertEquals(180, ImageFolder.write(data.testSet(), dir));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true));
        int code;
        try {
            code = Main.run("eval", run.runDir().resolve("model.zip").toString(), "--images", dir.toString(), "--json");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        Map<String, Object> r = Json.read(out.toString().trim(), Map.class);
        assertEquals(180, ((Number) r.get("examples")).intValue());
        assertEquals(run.result().testAccuracyBest(), ((Number) r.get("accuracy")).doubleValue(), 1e-12);
    }

    @Test
    void badImageFoldersAreClearErrors() throws Exception {
        String model = run.runDir().resolve("model.zip").toString();
        Path notImage = tmp.resolve("bad1/red-circle");
        Files.createDirectories(notImage);
        Files.writeString(notImage.resolve("x.png"), "not a picture");
        assertCliError("is not an image", "eval", model, "--images", tmp.resolve("bad1").toString());
        Files.createDirectories(tmp.resolve("bad2/purple-star"));
        assertCliError("'purple-star'", "eval", model, "--images", tmp.resolve("bad2").toString());
        assertCliError("image folder not found", "eval", model, "--images", tmp.resolve("missing").toString());
        assertCliError("is not an image", "predict", model, notImage.resolve("x.png").toString());
    }

    private static void assertCliError(String expected, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cl = cnnlab.cli.MainAccess.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true));
        assertEquals(2, cl.execute(args));
        assertTrue(err.toString().contains(expected), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    /**
     * The report page renders in headless Chromium (Debian's {@code chromium}; .ci/run installs it and
     * sets CNNLAB_REQUIRE_BROWSER=1 so that a missing browser fails there instead of skipping).
     */
    @Test
    void reportRendersInHeadlessChromium() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            assertTrue(System.getenv("CNNLAB_REQUIRE_BROWSER") == null, "chromium is required but not installed");
            org.junit.jupiter.api.Assumptions.abort("chromium is not installed (apt-get install chromium)");
        }
        Path shot = tmp.resolve("report.png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + tmp.resolve("chrome-profile"), "--window-size=1000,3200",
                "--hide-scrollbars", "--screenshot=" + shot, run.runDir().resolve("report.html").toUri().toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "chromium finished");
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(shot.toFile());
        assertEquals(1000, img.getWidth());
        int red = 0, dark = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y), r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
                red += r > 200 && g < 80 && b < 80 ? 1 : 0;
                dark += r + g + b < 150 ? 1 : 0;
            }
        }
        assertTrue(dark > 5000, "text and pictures are drawn (dark pixels: " + dark + ")");
        assertTrue(red > 200, "the embedded pictures load: the red shapes of the prediction grid show (" + red + ")");
    }
}
