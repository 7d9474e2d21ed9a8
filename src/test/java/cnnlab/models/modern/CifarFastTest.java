package cnnlab.models.modern;

import cnnlab.training.modern.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.UserError;
import cnnlab.data.DataSources;
import cnnlab.data.ImageSet;
import cnnlab.data.InMemorySource;
import cnnlab.data.TestData;
import cnnlab.models.Experiments;
import cnnlab.models.NetSpec;
import cnnlab.models.LayerChoice;
import cnnlab.training.Net;
import cnnlab.training.Pipeline;
import cnnlab.training.Recipe;
import cnnlab.training.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The moving parts of {@code cifar10-fast} (a recipe beyond the book) on a few real CIFAR-10 images and a few steps:
 * whitening filters, frozen parameters, weight averaging, test-time augmentation, and one run through
 * the {@link Trainer}.
 */
class CifarFastTest {
    private static InMemorySource cifar;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        cifar = (InMemorySource) DataSources.open("cifar-10", TestData.dir(cnnlab.data.RealData.CIFAR_10), 1);
    }

    private static InMemorySource small(int train, int test) {
        return new InMemorySource("cifar-10", cifar.trainSet().head(train), cifar.testSet().head(test),
                cifar.testSet().head(test), null);
    }

    @Test
    void whiteningFiltersAreThePatchCovariancesScaledEigenvectors() {
        ImageSet set = cifar.trainSet().head(300);
        double[][] c = Whitening.patchCovariance(set, 5000, 2, ModernRecipe.CIFAR_MEAN, ModernRecipe.CIFAR_STD);
        Whitening.Decomposition d = Whitening.decompose(c);
        int n = c.length;
        assertEquals(12, n);
        for (int i = 0; i < n; i++) {
            double[] v = d.eigenvectors()[i];
            double norm = 0;
            for (int j = 0; j < n; j++) {
                double cv = 0;
                for (int k = 0; k < n; k++) {
                    cv += c[j][k] * v[k];
                }
                assertEquals(d.eigenvalues()[i] * v[j], cv, 1e-6 * d.eigenvalues()[0], "C v = lambda v");
                norm += v[j] * v[j];
            }
            assertEquals(1, norm, 1e-9);
            if (i > 0) {
                assertTrue(d.eigenvalues()[i] <= d.eigenvalues()[i - 1], "largest first");
            }
        }
        // a covariance matrix computed independently, the slow way, for one entry
        double sum = 0;
        long count = 0;
        for (int i = 0; i < set.size(); i++) {
            for (int y = 0; y < 31; y++) {
                for (int x = 0; x < 31; x++) {
                    double r = (set.pixel(i, 0, y, x) / 255.0 - 0.4914) / 0.2470;
                    double g = (set.pixel(i, 1, y + 1, x + 1) / 255.0 - 0.4822) / 0.2435;
                    sum += r * g;
                    count++;
                }
            }
        }
        assertEquals(sum / count, c[0][7], 1e-9, "C[red(0,0)][green(1,1)]");
        INDArray w = Whitening.filters(d, 3, 2, Whitening.EPS);
        assertArrayEquals(new long[] {24, 3, 2, 2}, w.shape());
        for (int i = 0; i < n; i++) {
            double s = 1 / Math.sqrt(d.eigenvalues()[i] + Whitening.EPS);
            for (int j = 0; j < n; j++) {
                float expected = (float) (d.eigenvectors()[i][j] * s);
                assertEquals(expected, w.getFloat(i, j / 4, (j / 2) % 2, j % 2), 1e-5 * Math.abs(s));
                assertEquals(-expected, w.getFloat(n + i, j / 4, (j / 2) % 2, j % 2), 1e-5 * Math.abs(s));
            }
        }
    }

    @Test
    void frozenParametersStayFrozenAndTheAverageDiffersFromTheRawWeights() {
        InMemorySource src = small(64, 16);
        ModernRecipe recipe = (ModernRecipe) ModernRecipe.forRun(Experiments.get("cifar10-fast"), List.of());
        NetSpec spec = new NetSpec(3, 32, 32, 10, CifarFast.learningRate(), 5, LayerChoice.DL4J);
        long stepsPerEpoch = 2, total = 12;
        Nd4j.getRandom().setSeed(5);
        Net net = Net.build(recipe.network(Experiments.get("cifar10-fast"), spec, total));
        recipe.initialise(net, src);
        MultiLayerNetwork mln = (MultiLayerNetwork) net.model();
        // the whitening filters, folded into [0, 1] pixels, are the scaled eigenvectors of the 64 images' patches
        INDArray filters = Whitening.filters(Whitening.decompose(Whitening.patchCovariance(src.trainSet(), 5000, 2,
                ModernRecipe.CIFAR_MEAN, ModernRecipe.CIFAR_STD)), 3, 2, Whitening.EPS);
        INDArray w0 = mln.getParam("0_W").dup();
        for (int c = 0; c < 3; c++) {
            INDArray unfolded = w0.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c)).mul(ModernRecipe.CIFAR_STD[c]);
            INDArray f = filters.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c));
            assertTrue(Transforms.abs(unfolded.sub(f)).maxNumber().doubleValue() < 1e-4 * f.amaxNumber().doubleValue());
        }
        // Dirac: block 1's second convolution (64 -> 64) starts as the identity
        INDArray c2 = mln.getParam("5_W");
        assertEquals(1.0, c2.getDouble(5, 5, 1, 1));
        assertEquals(64.0, c2.sumNumber().doubleValue(), 1e-6);

        recipe.attach(net, src, stepsPerEpoch, total);
        Lookahead avg = recipe.lookahead();
        Pipeline pipeline = new Pipeline(src.normalizer(), Experiments.get("cifar10-fast").view());
        DataSetIterator train = recipe.train(src, 32, 5, true);
        train.setPreProcessor(pipeline);
        INDArray before = null;
        for (int step = 1; step <= total; step++) {
            if (!train.hasNext()) {
                train.reset();
            }
            INDArray b0 = mln.getParam("0_b").dup();
            net.fit(train.next());
            assertEquals(w0, mln.getParam("0_W"), "whitening filters frozen (step " + step + ")");
            for (String k : mln.paramTable().keySet()) {
                if (k.endsWith("_gamma")) {
                    assertEquals(Nd4j.ones(DataType.FLOAT, mln.getParam(k).shape()), mln.getParam(k),
                            k + " frozen at 1 (step " + step + ")");
                }
            }
            assertEquals(step >= 6, mln.getLayers()[0] instanceof FrozenLayer,
                    "no backward pass through the whitening layer once its bias is frozen (step " + step + ")");
            if (step <= 6) {
                assertNotEquals(b0, mln.getParam("0_b"), "whitening bias trains in its first 3 epochs (step " + step + ")");
            } else if (step % Lookahead.EVERY != 0) {
                assertEquals(b0, mln.getParam("0_b"), "whitening bias frozen after 3 epochs (step " + step + ")");
            }
            if (step == 7) {
                assertFalse(avg.average().equalsWithEps(net.params(), 1e-6), "average differs from the raw weights");
            }
            if (step == 9) {
                before = avg.average();
                INDArray raw = net.params().dup();
                assertFalse(before.equalsWithEps(raw, 1e-6));
            }
            if (step == 10) {
                assertTrue(avg.average().equalsWithEps(net.params(), 0), "lookahead: the net continues from the average");
                assertFalse(avg.average().equalsWithEps(before, 1e-6), "the average moved");
            }
        }
        assertTrue(avg.average().equalsWithEps(net.params(), 0), "the last step copies the average into the net");

        // TTA: six distinct views, the prediction their weighted mean
        DataSetIterator test = src.test(16);
        test.setPreProcessor(pipeline);
        DataSet ds = test.next();
        List<INDArray> views = Tta.views(ds.getFeatures());
        assertEquals(6, views.size());
        for (int i = 0; i < 6; i++) {
            for (int j = i + 1; j < 6; j++) {
                assertFalse(views.get(i).equalsWithEps(views.get(j), 1e-6), "views " + i + " and " + j + " differ");
            }
        }
        assertEquals(ds.getFeatures(), views.get(0));
        assertEquals(ds.getFeatures().getFloat(3, 1, 4, 0), views.get(1).getFloat(3, 1, 4, 31), "view 1 is the mirror");
        assertEquals(ds.getFeatures().getFloat(3, 1, 0, 0), views.get(2).getFloat(3, 1, 1, 1), "view 2 moved down-right");
        assertEquals(ds.getFeatures().getFloat(3, 1, 5, 5), views.get(4).getFloat(3, 1, 4, 4), "view 4 moved up-left");
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 16, 10);
        for (int i = 0; i < 6; i++) {
            expected.addi(Transforms.log(net.output(views.get(i)).castTo(DataType.DOUBLE)).muli(Tta.WEIGHTS[i]));
        }
        assertTrue(expected.equalsWithEps(Tta.scores(net, ds.getFeatures()), 1e-6), "weighted mean of 6 views");
        assertEquals(1.0, java.util.Arrays.stream(Tta.WEIGHTS).sum(), 1e-12);
    }

    @Test
    void stoppingTheBackwardPassAboveTheFrozenWhiteningLayerChangesNoParameter() {
        InMemorySource src = small(64, 16);
        ModernRecipe recipe = (ModernRecipe) ModernRecipe.forRun(Experiments.get("cifar10-fast"), List.of());
        NetSpec spec = new NetSpec(3, 32, 32, 10, CifarFast.learningRate(), 5, LayerChoice.DL4J);
        INDArray[] params = new INDArray[2];
        for (int stop = 0; stop <= 1; stop++) {
            Nd4j.getRandom().setSeed(5);
            Net net = Net.build(recipe.network(Experiments.get("cifar10-fast"), spec, 8));
            recipe.initialise(net, src);
            MultiLayerNetwork mln = (MultiLayerNetwork) net.model();
            List<String> frozen = new java.util.ArrayList<>(List.of("0_W"));
            mln.paramTable().keySet().stream().filter(k -> k.endsWith("_gamma")).forEach(frozen::add);
            net.addListeners(new FreezeParams(frozen, List.of(mln.getParam("0_b")), 2, stop));
            DataSetIterator train = recipe.train(src, 32, 5, true);
            train.setPreProcessor(new Pipeline(src.normalizer(), Experiments.get("cifar10-fast").view()));
            for (int step = 0; step < 6; step++) {
                if (!train.hasNext()) {
                    train.reset();
                }
                net.fit(train.next());
            }
            assertEquals(stop == 1, mln.getLayers()[0] instanceof FrozenLayer);
            assertFalse(mln.getLayers()[1] instanceof FrozenLayer);
            params[stop] = net.params().dup();
        }
        double scale = params[0].amaxNumber().doubleValue();
        assertTrue(Transforms.abs(params[0].sub(params[1])).maxNumber().doubleValue() <= 1e-6 * scale,
                "4 steps without the whitening layer's backward pass train the same parameters");
    }

    @Test
    void alternatingFlipMirrorsEveryImageTheOtherWayEachPass() {
        FlipTranslate f = new FlipTranslate(0, FlipTranslate.Flip.ALTERNATING, 3);
        int flipped = 0;
        for (int i = 0; i < 1000; i++) {
            assertEquals(!f.alternatingFlip(i, 0), f.alternatingFlip(i, 1));
            assertEquals(f.alternatingFlip(i, 0), f.alternatingFlip(i, 2));
            flipped += f.alternatingFlip(i, 0) ? 1 : 0;
        }
        assertTrue(flipped > 430 && flipped < 570, "about half flipped in a pass: " + flipped);
        assertEquals(1, FlipTranslate.reflect(-1, 32));
        assertEquals(30, FlipTranslate.reflect(32, 32));
    }

    @Test
    void trainsThroughTheOneTrainerAndRecordsFlagsAndBothAccuracies() {
        Trainer.Options o = new Trainer.Options(Experiments.get("cifar10-fast")).epochs(1).batch(32).seed(2)
                .out(tmp.resolve("runs")).modelsDir(null).data(small(64, 24)).recipeFlags(List.of("no-ema"));
        Map<String, Object> r = new Trainer(new PrintStream(new ByteArrayOutputStream())).run(o).result().toJson();
        assertEquals(Map.of("tta", true, "ema", false, "whitening", true, "label_smoothing", true,
                "alternating_flip", true), r.get("recipe"));
        assertEquals(List.of("no-ema"), r.get("recipe_flags"));
        assertEquals(r.get("test_accuracy_last"), r.get("test_accuracy_no_tta"));
        double tta = (double) r.get("test_accuracy_tta");
        assertTrue(tta >= 0 && tta <= 1);
        assertEquals(24L, ((Number) r.get("test_examples")).longValue());
    }

    @Test
    void configurationsSurviveJsonSoSavedModelsAndCheckpointsLoad() {
        for (String name : List.of("cifar10-fast", "mnist-modern")) {
            DataSources.Info info = DataSources.info(Experiments.get(name).data());
            NetSpec spec = new NetSpec(info.channels(), info.height(), info.width(), 10,
                    Experiments.get(name).learningRate(), 1, LayerChoice.DL4J);
            var conf = ModernRecipe.forRun(Experiments.get(name), List.of("no-label-smoothing"))
                    .network(Experiments.get(name), spec, 77).chain();
            assertEquals(conf, org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(conf.toJson()), name);
        }
        WarmupLinearDecay s = new WarmupLinearDecay(2.0, 100, 0.23, 0.2, 0.07);
        assertEquals(0.4, s.valueAt(0, 0), 1e-12);
        assertEquals(2.0, s.valueAt(23, 0), 1e-12);
        assertEquals(0.14, s.valueAt(100, 0), 1e-12);
        assertEquals(1.5, CifarFast.learningRate(), 1e-3, "11.5 / (1024 (1 + 1/0.15)) per summed example, x 1024");
        assertEquals(0.0153 * 1024 / (1024 * (1 + 1 / 0.15)), CifarFast.l2() * CifarFast.learningRate(), 1e-12);
    }

    @Test
    void flagsAreCheckedAgainstTheExperiment() {
        assertThrows(UserError.class, () -> ModernRecipe.forRun(Experiments.get("cifar10-cnn"), List.of("no-tta")));
        assertThrows(UserError.class, () -> ModernRecipe.forRun(Experiments.get("mnist-modern"), List.of("no-ema")));
        assertThrows(UserError.class, () -> new Trainer(System.out).run(new Trainer.Options(Experiments.get("cifar10-fast"))
                .layers(LayerChoice.CUSTOM).data(small(8, 8))));
        assertEquals(Recipe.NONE, ModernRecipe.forRun(Experiments.get("cifar10-cnn"), List.of()));
        assertFalse(((ModernRecipe) ModernRecipe.forRun(Experiments.get("fashion-modern"),
                List.of("no-label-smoothing"))).ablation().labelSmoothing());
    }
}
