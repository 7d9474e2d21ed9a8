package cnnlab.spark;

import cnnlab.UserError;
import cnnlab.training.Net;
import cnnlab.training.Step;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;
import org.nd4j.parameterserver.distributed.v2.enums.MeshBuildMode;

/**
 * Data-parallel training on Spark through DL4J's own engine ({@link SparkDl4jMultiLayer} /
 * {@link SparkComputationGraph}): each call takes the trainer's next mini-batches (up to its next validation
 * check), cuts them into per-worker mini-batches and fits them on the cluster, either by synchronous parameter
 * averaging ({@link ParameterAveragingTrainingMaster}) or by asynchronous threshold-encoded gradient sharing
 * ({@link SharedTrainingMaster}; Strom, "Scalable distributed DNN training using commodity GPU cloud computing",
 * Interspeech 2015). The driver's network is the trainer's: checkpoints, metrics, report and model are written
 * by the driver exactly as on one machine. In sharing mode the driver recounts batch norm's inference statistics
 * after each fit ({@link PopulationBatchNorm}), which the threshold encoding would otherwise leave near their
 * initial values.
 */
public final class SparkStep implements Step {
    private static final String AERON_UNBLOCK = "aeron.publication.unblock.timeout";
    /** Sharing mode: the driver recounts batch norm's statistics over (at most) the last this many mini-batches. */
    static final int BN_BATCHES = 8;
    private final SparkOptions opt;
    private final JavaSparkContext sc;
    private final SparkConf conf;
    private final long seed;
    private final PrintStream log;
    private final int workers;
    private int batchPerWorker;
    private TrainingMaster<?, ?> tm;
    private final AtomicLong resultBytes = new AtomicLong();
    private final AtomicLong tasks = new AtomicLong();
    private final AtomicLong failedTasks = new AtomicLong();
    private long fits;
    private long averagings;
    private long batches;
    private double seconds;
    private Net bound;
    private SparkDl4jMultiLayer sparkMln;
    private SparkComputationGraph sparkGraph;

    /** Starts (or, under spark-submit, joins) the Spark context. */
    public static Step start(SparkOptions opt, String appName, long seed, PrintStream log) {
        return new SparkStep(opt, appName, seed, log);
    }

    /** Starts (or, under spark-submit, joins) the Spark context. */
    public SparkStep(SparkOptions opt, String appName, long seed, PrintStream log) {
        this.opt = opt;
        this.seed = seed;
        this.log = log;
        this.conf = new SparkConf().setAppName(appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster(opt.master());
        } else if (!conf.get("spark.master").equals(opt.master())) {
            log.println("spark: using spark-submit's master " + conf.get("spark.master") + " (not " + opt.master() + ")");
        }
        String master = conf.get("spark.master");
        conf.setIfMissing("spark.ui.enabled", "false");
        if (master.startsWith("local") || loopback(master)) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        if (master.startsWith("spark://") && !conf.contains("spark.jars")
                && !conf.contains("spark.executor.extraClassPath")) {
            // started by ./cnnlab, not spark-submit: executors load cnnlab from the same paths as this driver
            conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        if (opt.mode().equals(SparkOptions.SHARING)) {
            // dl4j's Aeron transport sets aeron.client.liveness.timeout to 30 s; Aeron 1.39 (ND4J 1.0.0-M2.1's) refuses
            // to start unless the publication unblock timeout is longer (default 15 s)
            System.setProperty(AERON_UNBLOCK, "60000000000");
            conf.set("spark.executor.extraJavaOptions", (conf.get("spark.executor.extraJavaOptions", "")
                    + " -D" + AERON_UNBLOCK + "=60000000000").trim());
        }
        this.sc = JavaSparkContext.fromSparkContext(org.apache.spark.SparkContext.getOrCreate(conf));
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                tasks.incrementAndGet();
                if (!end.reason().toString().equals("Success")) {
                    failedTasks.incrementAndGet();
                }
                if (end.taskMetrics() != null) {
                    resultBytes.addAndGet(end.taskMetrics().resultSize());
                }
            }
        });
        int local = opt.localThreads();
        this.workers = opt.workers() > 0 ? opt.workers() : local > 0 ? local : sc.defaultParallelism();
    }

    /** The training master, made once the run's mini-batch size is known (the first batch's). */
    private void makeMaster(int batch) {
        batchPerWorker = opt.batchPerWorker() > 0 ? opt.batchPerWorker() : Math.max(1, batch / workers);
        if (opt.mode().equals(SparkOptions.AVERAGING)) {
            tm = new ParameterAveragingTrainingMaster.Builder(workers, batchPerWorker)
                    .batchSizePerWorker(batchPerWorker)
                    .averagingFrequency(opt.averagingFrequency())
                    .workerPrefetchNumBatches(0)
                    .saveUpdater(true)
                    .rddTrainingApproach(RDDTrainingApproach.Direct)
                    .repartionData(Repartition.Never) // fitBatches hands over one partition per worker
                    .rngSeed(seed)
                    .build();
        } else {
            String host = conf.get("spark.driver.host", "127.0.0.1");
            VoidConfiguration voids = VoidConfiguration.builder()
                    .unicastPort(conf.getInt("spark.cnnlab.unicastPort", 40123))
                    .networkMask(conf.get("spark.cnnlab.networkMask", host.substring(0, host.lastIndexOf('.')) + ".0/24"))
                    .controllerAddress(host)
                    .meshBuildMode(MeshBuildMode.PLAIN)
                    .build();
            tm = new SharedTrainingMaster.Builder(voids, workers, new AdaptiveThresholdAlgorithm(1e-3), batchPerWorker)
                    .batchSizePerWorker(batchPerWorker)
                    .workersPerNode(1)
                    .workerPrefetchNumBatches(0)
                    .rddTrainingApproach(RDDTrainingApproach.Direct)
                    .repartitionData(Repartition.Never)
                    .rngSeed(seed)
                    .build();
        }
        log.printf("spark: %s, master %s, %s, %d workers x batch %d%s%n", sc.version(), sc.master(), opt.mode(), workers,
                batchPerWorker, opt.mode().equals(SparkOptions.AVERAGING)
                        ? ", averaging every " + opt.averagingFrequency() + " batches"
                        : ", adaptive threshold 1e-3, batch norm statistics recounted by the driver");
    }

    private static boolean loopback(String master) {
        try {
            String h = URI.create(master).getHost();
            return "127.0.0.1".equals(h) || "localhost".equals(h);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public JavaSparkContext context() {
        return sc;
    }

    @Override
    public Fitted fit(Net net, DataSetIterator train, long max) {
        List<DataSet> got = new ArrayList<>();
        while (got.size() < max && train.hasNext()) {
            got.add(train.next());
        }
        fitBatches(net, got);
        DataSet last = got.get(got.size() - 1);
        double loss = score();
        if (opt.mode().equals(SparkOptions.SHARING)) {
            loss = driverLoss(net, last); // SharedTrainingMaster reports no score to the driver
        }
        return new Fitted(last, loss, got.size());
    }

    /** Fits these mini-batches on the cluster, each cut into per-worker mini-batches; the driver's net is updated. */
    public void fitBatches(Net net, List<DataSet> got) {
        bind(net, got.get(0).numExamples());
        List<DataSet> pieces = new ArrayList<>();
        for (DataSet b : got) {
            pieces.addAll(b.numExamples() > batchPerWorker ? b.batchBy(batchPerWorker) : List.of(b));
        }
        long t0 = System.nanoTime();
        Object after;
        try {
            after = fitPieces(pieces);
        } catch (Exception e) { // Spark re-runs lost tasks itself; this is what it could not recover from
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new UserError("training on Spark failed after " + batches + " mini-batches: " + root + ". The run "
                    + "folder keeps its last checkpoint; continue with 'cnnlab train --resume RUN_FOLDER --spark MASTER'");
        }
        seconds += (System.nanoTime() - t0) / 1e9;
        fits++;
        batches += got.size();
        if (opt.mode().equals(SparkOptions.AVERAGING)) {
            long perRound = (long) workers * opt.averagingFrequency();
            averagings += (pieces.size() + perRound - 1) / perRound;
        }
        if (after != net.model()) { // DL4J updates the driver's network in place; if not, copy the result over
            net.setParams(((org.deeplearning4j.nn.api.Model) after).params());
        }
        if (opt.mode().equals(SparkOptions.SHARING)) {
            // the threshold encoding starves batch norm's inference statistics (PopulationBatchNorm): recount them
            PopulationBatchNorm.recompute(net.model(), got.subList(Math.max(0, got.size() - BN_BATCHES), got.size()));
        }
    }

    private Object fitPieces(List<DataSet> pieces) {
        if (sparkMln != null) {
            return sparkMln.fit(sc.parallelize(pieces, Math.min(workers, pieces.size())));
        } else {
            List<org.nd4j.linalg.dataset.api.MultiDataSet> multi = new ArrayList<>();
            int outs = sparkGraph.getNetwork().getNumOutputArrays();
            for (DataSet d : pieces) {
                INDArray[] labels = new INDArray[outs];
                Arrays.fill(labels, d.getLabels());
                multi.add(new MultiDataSet(new INDArray[] {d.getFeatures()}, labels));
            }
            return sparkGraph.fitMultiDataSet(sc.parallelize(multi, Math.min(workers, multi.size())));
        }
    }

    private void bind(Net net, int batch) {
        if (bound == net) {
            return;
        }
        if (tm == null) {
            makeMaster(batch);
        }
        bound = net;
        if (net.model() instanceof MultiLayerNetwork m) {
            sparkMln = new SparkDl4jMultiLayer(sc, m, tm);
            sparkGraph = null;
        } else {
            sparkGraph = new SparkComputationGraph(sc, (ComputationGraph) net.model(), tm);
            sparkMln = null;
        }
    }

    /** The loss of the driver's (updated) network on a mini-batch. */
    private static double driverLoss(Net net, DataSet ds) {
        if (net.model() instanceof MultiLayerNetwork m) {
            return m.score(ds, false);
        }
        ComputationGraph g = (ComputationGraph) net.model();
        INDArray[] labels = new INDArray[g.getNumOutputArrays()];
        Arrays.fill(labels, ds.getLabels());
        return g.score(new MultiDataSet(new INDArray[] {ds.getFeatures()}, labels), false);
    }

    private double score() {
        return sparkMln != null ? sparkMln.getScore() : sparkGraph.getScore();
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("master", sc.master());
        m.put("spark_version", sc.version());
        m.put("mode", opt.mode());
        m.put("workers", workers);
        m.put("batch_per_worker", batchPerWorker);
        m.put("averaging_frequency", opt.mode().equals(SparkOptions.AVERAGING) ? opt.averagingFrequency() : null);
        m.put("threshold", opt.mode().equals(SparkOptions.SHARING) ? "adaptive, initial 1e-3" : null);
        m.put("fits", fits);
        m.put("averagings", opt.mode().equals(SparkOptions.AVERAGING) ? averagings : null);
        m.put("fit_seconds", Math.round(seconds * 100) / 100.0);
        m.put("tasks", tasks.get());
        m.put("failed_tasks", failedTasks.get());
        m.put("task_result_bytes", resultBytes.get());
        return m;
    }

    @Override
    public void close() {
        if (sparkMln != null || sparkGraph != null) {
            tm.deleteTempFiles(sc);
        }
        sc.stop();
    }
}
