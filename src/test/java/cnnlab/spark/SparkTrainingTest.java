package cnnlab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.DataSources;
import cnnlab.data.InMemorySource;
import cnnlab.data.TestData;
import cnnlab.models.BookNets;
import cnnlab.models.Experiments;
import cnnlab.training.Json;
import cnnlab.training.Net;
import cnnlab.training.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Distributed training on Spark in local mode ({@code local[2]}): DL4J's parameter averaging with averaging
 * frequency 1 is the single-machine step (the model is DL4J's own {@code TestCompareParameterAveragingSparkVsSingleMachine}),
 * and a short run of mnist-cnn through {@code Trainer} + {@link SparkStep} learns as well as on one machine.
 */
class SparkTrainingTest {
    @TempDir
    static Path tmp;

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    /** A small CNN without batch norm or dropout (whose batch statistics would differ per worker), book Momentum. */
    private static MultiLayerConfiguration smallCnn() {
        return new NeuralNetConfiguration.Builder().seed(7).weightInit(WeightInit.XAVIER)
                .updater(BookNets.momentum(0.1)).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
    }

    @Test
    void oneAveragingStepEqualsOneSingleMachineStep() {
        InMemorySource mnist = (InMemorySource) DataSources.open("mnist", TestData.dir(), 1);
        DataSetIterator it = mnist.train(128, 1, false);
        it.setPreProcessor(new ImagePreProcessingScaler(0, 1));
        DataSet batch = it.next();
        assertEquals(128, batch.numExamples());

        MultiLayerNetwork single = new MultiLayerNetwork(smallCnn());
        single.init();
        INDArray before = single.params().dup();
        single.fit(batch);
        INDArray after = single.params().dup();

        MultiLayerNetwork distributed = new MultiLayerNetwork(smallCnn());
        distributed.init();
        assertEquals(before, distributed.params(), "same seed, same start");
        try (SparkStep step = new SparkStep(new SparkOptions("local[2]", "averaging", 2, 64, 1), "equality", 1, QUIET)) {
            step.fitBatches(Net.of(distributed), List.of(batch));
            Map<String, Object> d = step.describe();
            assertEquals(2, d.get("workers"));
            assertEquals(64, d.get("batch_per_worker"));
            assertEquals(1L, d.get("fits"));
        }
        float[] expect = after.data().asFloat();
        float[] got = distributed.params().data().asFloat();
        assertFalse(before.equalsWithEps(after, 1e-3), "the step moved the parameters");
        double maxStep = after.sub(before).amaxNumber().doubleValue();
        assertArrayEquals(expect, got, 1e-5f, "averaged workers' step == single-machine step (largest change "
                + maxStep + ")");
    }

    @Test
    void shortDistributedMnistCnnMatchesSingleMachineAccuracy() throws Exception {
        InMemorySource full = (InMemorySource) DataSources.open("mnist", TestData.dir(), 1);
        InMemorySource data = new InMemorySource("mnist", full.trainSet().sample(4000, 1),
                full.validationSet().sample(500, 1), full.testSet().sample(2000, 1), null);
        Trainer.Options single = options(data, "single");
        Trainer.Outcome one = new Trainer(QUIET).run(single);
        Trainer.Outcome two;
        try (SparkStep step = new SparkStep(new SparkOptions("local[2]", "averaging", 0, 0, 1), "mnist", 42, QUIET)) {
            two = new Trainer(QUIET).step(step).run(options(data, "spark"));
        }
        System.out.printf("single machine %.1f s, spark %.1f s: %s%n", one.result().trainSeconds(),
                two.result().trainSeconds(), two.result().spark());
        double a1 = one.result().testAccuracyLast();
        double a2 = two.result().testAccuracyLast();
        assertTrue(a1 > 0.85, "single machine learns: " + a1);
        assertEquals(a1, a2, 0.01, "distributed within 1 point of single machine (" + a1 + " vs " + a2 + ")");

        Map<String, Object> r = Json.readMap(two.runDir().resolve("result.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) r.get("spark");
        assertEquals("local[2]", s.get("master"));
        assertEquals("averaging", s.get("mode"));
        assertEquals(2, ((Number) s.get("workers")).intValue());
        assertEquals(64, ((Number) s.get("batch_per_worker")).intValue());
        assertEquals(1, ((Number) s.get("averaging_frequency")).intValue());
        assertEquals(one.result().iterations(), ((Number) r.get("iterations")).longValue(),
                "same mini-batches trained");
        assertTrue(Files.size(two.runDir().resolve("model.zip")) > 1000);
        assertTrue(Files.exists(two.runDir().resolve("report.html")));
        assertFalse(Json.readMap(one.runDir().resolve("result.json")).containsKey("spark"),
                "single-machine result.json unchanged");
    }

    private static Trainer.Options options(InMemorySource data, String out) {
        return new Trainer.Options(Experiments.get("mnist-cnn")).epochs(2).seed(5).data(data)
                .out(tmp.resolve(out)).modelsDir(null);
    }
}
