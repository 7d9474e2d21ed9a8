package cnnlab.models.modern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.DataSources;
import cnnlab.data.InMemorySource;
import cnnlab.data.RealData;
import cnnlab.data.TestData;
import cnnlab.models.Experiments;
import cnnlab.training.Trainer;
import cnnlab.training.modern.Tta;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code mnist-modern} / {@code fashion-modern} (issue 17): the tuned defaults reach the experiments, and
 * {@code fashion-modern}'s test-time flip averages an image with its mirror, through one short run of the
 * {@link Trainer} on a few real Fashion-MNIST images.
 */
class MnistModernTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsAreTheTunedOnes() {
        assertEquals(MnistModern.MNIST_EPOCHS, Experiments.get("mnist-modern").epochs());
        assertEquals(MnistModern.FASHION_EPOCHS, Experiments.get("fashion-modern").epochs());
    }

    @Test
    void fashionReportsTheMirrorTta() {
        InMemorySource all = (InMemorySource) DataSources.open("fashion-mnist",
                TestData.dir(RealData.FASHION_MNIST), 1);
        InMemorySource src = new InMemorySource("fashion-mnist", all.trainSet().head(256), all.testSet().head(40),
                all.testSet().head(40), null);
        Trainer.Options o = new Trainer.Options(Experiments.get("fashion-modern")).epochs(1).batch(32).seed(3)
                .out(tmp.resolve("runs")).modelsDir(null).data(src);
        Trainer.Outcome run = new Trainer(new PrintStream(new ByteArrayOutputStream())).run(o);
        Map<String, Object> r = run.result().toJson();
        assertEquals(r.get("test_accuracy_last"), r.get("test_accuracy_no_tta"));
        double tta = (double) r.get("test_accuracy_tta");
        assertTrue(tta >= 0 && tta <= 1);

        MultiLayerNetwork net = (MultiLayerNetwork) run.net().model();
        assertEquals(MnistModern.HIDDEN, net.getLayer("fc").getParam("W").size(1), "the hidden layer");
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
        INDArray mirror = Tta.views(x).get(1);
        assertFalse(x.equalsWithEps(mirror, 1e-6));
        cnnlab.training.Net n = run.net();
        INDArray expected = Transforms.log(net.output(x).castTo(DataType.DOUBLE))
                .addi(Transforms.log(net.output(mirror).castTo(DataType.DOUBLE))).muli(0.5);
        assertTrue(expected.equalsWithEps(Tta.mirrorScores(n, x), 1e-6), "mean of the image's and its mirror's");
        assertTrue(Tta.mirrorScores(n, x).equalsWithEps(Tta.mirrorScores(n, mirror), 1e-6),
                "an image and its mirror get the same scores");
    }
}
