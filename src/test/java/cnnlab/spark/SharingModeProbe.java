package cnnlab.spark;

import cnnlab.data.DataSources;
import cnnlab.data.InMemorySource;
import cnnlab.data.TestData;
import cnnlab.models.LayerChoice;
import cnnlab.models.MnistCnn;
import cnnlab.models.NetSpec;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;
import org.nd4j.parameterserver.distributed.v2.enums.MeshBuildMode;

/**
 * Not a CI test (surefire runs {@code *Test} classes only): the reproduction behind docs/SCALING.md's sharing-mode
 * findings, DL4J's {@code SharedTrainingMaster} driven directly (no cnnlab Trainer) on {@code local[2]}, printing
 * the test accuracy of the driver's network and of the worker's copy after each fit, next to one machine's:
 *
 * <pre>
 * mvn -B -o test -Dtest=SharingModeProbe -Dsurefire.failIfNoSpecifiedTests=false [-Dprobe.recount=true] [-Dprobe.nobn=true]
 * </pre>
 *
 * {@code probe.recount}: the driver recounts batch norm's statistics after each fit ({@link PopulationBatchNorm});
 * {@code probe.nobn}: a small CNN without batch norm ({@code SparkTrainingTest.smallCnn}) instead of mnist-cnn. 1,000 MNIST images, batch 128 (2 × 64
 * on Spark), 2 epochs, 4 mini-batches per fit, 1,000 test images.
 */
class SharingModeProbe {
    @Test
    void probe() throws Exception {
        InMemorySource full = (InMemorySource) DataSources.open("mnist", TestData.dir(), 1);
        InMemorySource data = new InMemorySource("mnist", full.trainSet().sample(1000, 1),
                full.validationSet().sample(500, 1), full.testSet().sample(1000, 1), null);
        List<DataSet> train = batches(data.train(128, 1, false));
        List<DataSet> test = batches(data.test(500));
        MultiLayerConfiguration conf = Boolean.getBoolean("probe.nobn") ? SparkTrainingTest.smallCnn()
                : MnistCnn.conf(new NetSpec(1, 28, 28, 10, 0.1, 5, LayerChoice.DL4J));
        MultiLayerNetwork single = new MultiLayerNetwork(conf);
        single.init();
        MultiLayerNetwork driver = new MultiLayerNetwork(conf.clone());
        driver.init();
        for (int e = 0; e < 2; e++) {
            for (DataSet d : train) {
                single.fit(d);
            }
        }
        System.out.printf("PROBE one machine: accuracy %.4f%n", accuracy(single, test));
        try (SparkStep step = new SparkStep(new SparkOptions("local[2]", "sharing", 0, 0, 1), "probe", 1, System.out)) {
            VoidConfiguration voids = VoidConfiguration.builder().unicastPort(40123).networkMask("127.0.0.0/24")
                    .controllerAddress("127.0.0.1").meshBuildMode(MeshBuildMode.PLAIN).build();
            SharedTrainingMaster tm = new SharedTrainingMaster.Builder(voids, 2, new AdaptiveThresholdAlgorithm(1e-3), 64)
                    .batchSizePerWorker(64).workersPerNode(1).workerPrefetchNumBatches(0)
                    .rddTrainingApproach(RDDTrainingApproach.Direct).repartitionData(Repartition.Never).rngSeed(1).build();
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(step.context(), driver, tm);
            for (int e = 0; e < 2; e++) {
                for (int i = 0; i < train.size(); i += 4) {
                    List<DataSet> fit = train.subList(i, Math.min(train.size(), i + 4));
                    List<DataSet> pieces = new ArrayList<>();
                    for (DataSet d : fit) {
                        pieces.addAll(d.batchBy(64));
                    }
                    spark.fit(step.context().parallelize(pieces, 2));
                    MultiLayerNetwork worker = workerCopy();
                    String w = worker == null ? "-" : String.format("%.4f", accuracy(worker, test));
                    if (Boolean.getBoolean("probe.recount")) {
                        PopulationBatchNorm.recompute(driver, fit);
                    }
                    System.out.printf("PROBE epoch %d, batch %d: driver accuracy %.4f (loss %.3f), worker's copy %s%n",
                            e + 1, i + fit.size(), accuracy(driver, test), driver.score(train.get(0)), w);
                }
            }
        }
    }

    /** The network the local executor trains (DL4J keeps it in a static SharedTrainingWrapper). */
    private static MultiLayerNetwork workerCopy() throws ReflectiveOperationException {
        Class<?> c = Class.forName("org.deeplearning4j.spark.parameterserver.pw.SharedTrainingWrapper");
        java.lang.reflect.Field instance = c.getDeclaredField("INSTANCE");
        instance.setAccessible(true);
        java.lang.reflect.Field model = c.getDeclaredField("originalModel");
        model.setAccessible(true);
        return (MultiLayerNetwork) model.get(instance.get(null));
    }

    private static List<DataSet> batches(DataSetIterator it) {
        it.setPreProcessor(new ImagePreProcessingScaler(0, 1));
        List<DataSet> l = new ArrayList<>();
        while (it.hasNext()) {
            l.add(it.next());
        }
        return l;
    }

    private static double accuracy(MultiLayerNetwork n, List<DataSet> test) {
        long ok = 0;
        long all = 0;
        for (DataSet d : test) {
            ok += n.output(d.getFeatures(), false).argMax(1).eq(d.getLabels().argMax(1))
                    .castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
            all += d.numExamples();
        }
        return (double) ok / all;
    }
}
