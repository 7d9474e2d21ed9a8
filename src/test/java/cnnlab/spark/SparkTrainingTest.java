package cnnlab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.DataSources;
import cnnlab.data.InMemorySource;
import cnnlab.data.TestData;
import cnnlab.models.BookNets;
import cnnlab.data.InputView;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.models.NetConf;
import cnnlab.models.NetSpec;
import cnnlab.training.Checkpoint;
import cnnlab.training.History;
import cnnlab.training.Json;
import cnnlab.training.Net;
import cnnlab.training.Step;
import cnnlab.training.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
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
import org.nd4j.linalg.learning.config.Adam;
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
    static MultiLayerConfiguration smallCnn() {
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

    /** mnist-cnn on 2,000 MNIST images, 2 epochs, with and without Spark (the same mini-batches in the same order). */
    private static InMemorySource mnist2000;
    private static Trainer.Outcome single;

    private static InMemorySource mnist2000() {
        if (mnist2000 == null) {
            InMemorySource full = (InMemorySource) DataSources.open("mnist", TestData.dir(), 1);
            mnist2000 = new InMemorySource("mnist", full.trainSet().sample(2000, 1), full.validationSet().sample(500, 1),
                    full.testSet().sample(2000, 1), null);
        }
        return mnist2000;
    }

    /**
     * mnist-cnn as registered (network, updater, batch 128, learning rate), validated twice per epoch instead of
     * 20 times: a validation check does not change what is trained, and each costs a Spark job.
     */
    private static Experiment mnistCnnFewChecks() {
        Experiment e = Experiments.get("mnist-cnn");
        return new Experiment(e.name(), e.section(), e.bookAccuracy(), e.data(), e.view(), e.epochs(), e.batch(),
                e.learningRate(), 0.5, e.augment(), e.stopLoss(), e.network(), e.description(), e.validateOnTest(),
                e.bookModel());
    }

    private static Trainer.Options mnistOptions(String out) {
        return new Trainer.Options(mnistCnnFewChecks()).epochs(2).seed(5).data(mnist2000()).out(tmp.resolve(out))
                .modelsDir(null);
    }

    private static synchronized Trainer.Outcome singleMachine() {
        if (single == null) {
            single = new Trainer(QUIET).run(mnistOptions("single"));
            assertTrue(single.result().testAccuracyLast() > 0.85, "single machine learns: " + single.result());
        }
        return single;
    }

    private static Trainer.Outcome onSpark(SparkOptions so, String out) {
        try (SparkStep step = new SparkStep(so, out, 42, QUIET)) {
            Trainer.Outcome o = new Trainer(QUIET).step(step).run(mnistOptions(out));
            System.out.printf("%s: single machine %.2f%% in %.1f s, spark %.2f%% in %.1f s: %s%n", out,
                    100 * singleMachine().result().testAccuracyLast(), singleMachine().result().trainSeconds(),
                    100 * o.result().testAccuracyLast(), o.result().trainSeconds(), o.result().spark());
            return o;
        }
    }

    @Test
    void shortDistributedMnistCnnMatchesSingleMachineAccuracy() throws Exception {
        Trainer.Outcome one = singleMachine();
        Trainer.Outcome two = onSpark(new SparkOptions("local[2]", "averaging", 0, 0, 1), "averaging");
        double a1 = one.result().testAccuracyLast();
        double a2 = two.result().testAccuracyLast();
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

    /**
     * Gradient sharing ({@code SharedTrainingMaster}, threshold-encoded updates, Strom 2015) learns mnist-cnn as
     * one machine does. Each worker applies every worker's update in full (a sum, not averaging's mean), so two
     * workers with 64 examples each make the steps of one machine with batch 64, not 128: the comparison is the
     * single-machine run with batch 64 on the same 2,000 images for the same 2 epochs, and the Spark run must be
     * within 3 points of it. What remains is the quantisation of the updates (each element moves by the threshold
     * or not at all, the rest carried over) and their delay; measured here: docs/SCALING.md. 3 points rather than
     * averaging's 1 because of that different path; far tighter than the failure this guards against: before the
     * driver recounted batch norm's statistics ({@link PopulationBatchNorm}) sharing mode reached 46% where one
     * machine reached 76% (1,000 images, 2 epochs).
     */
    @Test
    void sharingModeTrainsMnistCnnAsOneMachineWithTheWorkersBatch() throws Exception {
        Trainer.Outcome batch64 = new Trainer(QUIET).run(mnistOptions("single64").batch(64));
        Trainer.Outcome two = onSpark(new SparkOptions("local[2]", "sharing", 0, 0, 1), "sharing");
        double a1 = batch64.result().testAccuracyLast();
        double a2 = two.result().testAccuracyLast();
        System.out.printf("sharing: single machine with batch 64 %.2f%%%n", 100 * a1);
        assertTrue(a1 > 0.85, "single machine learns: " + a1);
        assertEquals(a1, a2, 0.03, "sharing within 3 points of one machine with batch 64 (" + a1 + " vs " + a2 + ")");
        Map<String, Object> s = two.result().spark();
        assertEquals("sharing", s.get("mode"));
        assertEquals(64, ((Number) s.get("batch_per_worker")).intValue());
        assertEquals(null, s.get("averaging_frequency"));
        assertEquals(singleMachine().result().iterations(), two.result().iterations(), "same mini-batches of 128");
    }

    /**
     * A Spark run stopped after its first epoch's checkpoint continues on Spark from that checkpoint (written by
     * the driver) to the end, in the same run folder: two epochs, continuous iterations, the {@code spark}
     * object in {@code result.json}, the files a single-machine run leaves.
     */
    @Test
    void stoppedSparkRunResumesOnSparkFromTheDriversCheckpoint() throws Exception {
        InMemorySource data = new InMemorySource("mnist", mnist2000().trainSet().sample(512, 2),
                mnist2000().validationSet(), mnist2000().testSet().sample(500, 2), null);
        Trainer.Options o = new Trainer.Options(Experiments.get("mnist-cnn")).epochs(2).seed(5).data(data)
                .out(tmp.resolve("resume")).modelsDir(null);
        long perEpoch = 4; // 512 / 128
        try (SparkStep step = new SparkStep(new SparkOptions("local[2]", "averaging", 0, 0, 1), "first", 42, QUIET)) {
            Step stopsInEpoch2 = new Step() {
                private long batches;

                @Override
                public Fitted fit(Net net, DataSetIterator train, long max) {
                    if (batches >= perEpoch) {
                        throw new IllegalStateException("stopped in epoch 2");
                    }
                    Fitted f = step.fit(net, train, max);
                    batches += f.batches();
                    return f;
                }
            };
            Exception e = assertThrows(IllegalStateException.class, () -> new Trainer(QUIET).step(stopsInEpoch2).run(o));
            assertEquals("stopped in epoch 2", e.getMessage());
        }
        Path runDir;
        try (var runs = Files.list(tmp.resolve("resume").resolve("mnist-cnn"))) {
            runDir = runs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertTrue(Files.exists(runDir.resolve(Checkpoint.FILE)), "the driver wrote the epoch-1 checkpoint");
        assertFalse(Files.exists(runDir.resolve("result.json")));
        List<History.Check> before = History.readCsv(runDir.resolve("metrics.csv")).checks();
        assertEquals(perEpoch, before.get(before.size() - 1).iteration(), "stopped after epoch 1");

        Trainer.Outcome resumed;
        try (SparkStep step = new SparkStep(new SparkOptions("local[2]", "averaging", 0, 0, 1), "again", 42, QUIET)) {
            resumed = new Trainer(QUIET).step(step).resume(runDir, data);
        }
        assertEquals(runDir, resumed.runDir());
        assertTrue(resumed.result().resumed());
        assertEquals(2, resumed.result().epochs());
        assertEquals(2 * perEpoch, resumed.result().iterations());
        List<History.Check> h = History.readCsv(runDir.resolve("metrics.csv")).checks();
        assertEquals(before, h.subList(0, before.size()), "history kept");
        for (int i = 1; i < h.size(); i++) {
            assertTrue(h.get(i).iteration() > h.get(i - 1).iteration(), "iterations continue at check " + i + ": " + h);
        }
        assertEquals(2, h.get(h.size() - 1).epoch());
        Map<String, Object> r = Json.readMap(runDir.resolve("result.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) r.get("spark");
        assertEquals("averaging", s.get("mode"));
        assertEquals(perEpoch, ((Number) s.get("fits")).longValue(), "epoch 2 on Spark, a fit per check: " + s);
        assertEquals(fileNames(singleMachine().runDir()), fileNames(runDir), "the run folder of a single-machine run");
        assertTrue(resumed.result().testAccuracyLast() > 0.5, "learns: " + resumed.result());
    }

    private static java.util.Set<String> fileNames(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    /**
     * A ComputationGraph on Spark ({@code SparkComputationGraph}): a small residual net (He et al. 2016: conv,
     * a basic residual block with batch norm and an identity shortcut, max-pool, softmax) trains on 1,000 MNIST
     * images for 2 epochs through {@code local[2]}, its loss falls and its accuracy is far above chance, and the
     * model it saves loads as a graph that computes the same outputs.
     */
    @Test
    void residualGraphTrainsOnSparkAndItsModelLoads() throws Exception {
        InMemorySource data = new InMemorySource("mnist", mnist2000().trainSet().sample(1000, 3),
                mnist2000().validationSet(), mnist2000().testSet().sample(500, 3), null);
        Experiment tinyResNet = Experiment.named("tiny-resnet-mnist").section("beyond").data("mnist", InputView.IMAGE)
                .epochs(2).batch(64).learningRate(0.01).checkpoint(1.0).network(SparkTrainingTest::tinyResNet)
                .description("conv, one residual block, max-pool, softmax").build();
        Trainer.Outcome o;
        try (SparkStep step = new SparkStep(new SparkOptions("local[2]", "averaging", 0, 0, 1), "graph", 42, QUIET)) {
            o = new Trainer(QUIET).step(step).run(new Trainer.Options(tinyResNet).seed(5).data(data)
                    .out(tmp.resolve("graph")).modelsDir(null));
        }
        System.out.printf("tiny residual graph on spark: %.2f%% in %.1f s: %s%n", 100 * o.result().testAccuracyLast(),
                o.result().trainSeconds(), o.result().spark());
        assertTrue(o.net().isGraph());
        List<History.Check> h = o.history().checks();
        assertTrue(h.get(h.size() - 1).trainLoss() < h.get(0).trainLoss(), "loss falls: " + h);
        assertTrue(o.result().testAccuracyLast() > 0.6, "far above chance (10%): " + o.result().testAccuracyLast());
        assertEquals(2, ((Number) o.result().spark().get("workers")).intValue());

        Net loaded = Net.load(o.runDir().resolve("model.zip"));
        assertTrue(loaded.isGraph(), "saved as a ComputationGraph");
        INDArray x = data.test(16).next().getFeatures();
        assertEquals(o.net().output(x), loaded.output(x), "the loaded model computes what the trained one does");
    }

    /** Bad Spark flags: one line on stderr naming the problem, exit code 2, before anything of Spark starts. */
    @Test
    void badSparkFlagsStopWithOneLineAndExitCode2() {
        String[][] cases = {
            {"--spark-mode", "foo", "--spark-mode must be sharing or averaging, got foo"},
            {"--workers", "0", "--workers must be a positive number, got 0"},
            {"--batch-per-worker", "-3", "--batch-per-worker must be a positive number, got -3"},
            {"--averaging-frequency", "0", "--averaging-frequency must be positive"},
        };
        for (String[] c : cases) {
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine cl = cnnlab.cli.MainAccess.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true));
            int code = cl.execute("train", "mnist-cnn", "--spark", "local[2]", c[0], c[1], "--out",
                    tmp.resolve("bad").toString());
            assertEquals(2, code, c[0] + " " + c[1] + ": " + err);
            String text = err.toString().strip();
            assertEquals(1, text.lines().count(), "one line: " + text);
            assertTrue(text.contains(c[2]), text);
        }
        assertFalse(Files.exists(tmp.resolve("bad")), "no run folder");
    }

    static NetConf tinyResNet(NetSpec s) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(s.seed())
                .weightInit(WeightInit.RELU).updater(new Adam(s.learningRate())).graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(s.height(), s.width(), s.channels()));
        g.addLayer("conv1", conv(), "input").addLayer("bn1", new BatchNormalization(), "conv1")
                .addLayer("relu1", new ActivationLayer(Activation.RELU), "bn1")
                .addLayer("res_conv1", conv(), "relu1").addLayer("res_bn1", new BatchNormalization(), "res_conv1")
                .addLayer("res_relu1", new ActivationLayer(Activation.RELU), "res_bn1")
                .addLayer("res_conv2", conv(), "res_relu1").addLayer("res_bn2", new BatchNormalization(), "res_conv2")
                .addVertex("res_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "res_bn2", "relu1")
                .addLayer("res_relu2", new ActivationLayer(Activation.RELU), "res_add")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "res_relu2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(s.classes())
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out");
        return new NetConf.Graph(g.build());
    }

    private static ConvolutionLayer conv() {
        return new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same).hasBias(false)
                .activation(Activation.IDENTITY).build();
    }
}
