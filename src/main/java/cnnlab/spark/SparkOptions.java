package cnnlab.spark;

import cnnlab.UserError;
import java.util.Locale;

/**
 * What {@code cnnlab train --spark MASTER} was asked for. Holds no Spark class, so the CLI can read the flags
 * and check {@link #sparkOnClasspath()} before anything of Spark is loaded.
 *
 * @param master          {@code local[N]}, {@code spark://host:port}, or what {@code spark-submit --master} says
 * @param mode            {@code averaging} (ParameterAveragingTrainingMaster) or {@code sharing}
 *                        (SharedTrainingMaster, threshold-encoded gradient sharing)
 * @param workers         data-parallel workers (0: Spark's default parallelism)
 * @param batchPerWorker  mini-batch of one worker (0: the run's batch divided by the workers)
 * @param averagingFrequency averaging: mini-batches each worker fits between two averagings
 */
public record SparkOptions(String master, String mode, int workers, int batchPerWorker, int averagingFrequency) {
    public static final String AVERAGING = "averaging";
    public static final String SHARING = "sharing";

    public SparkOptions {
        mode = mode == null ? AVERAGING : mode.toLowerCase(Locale.ROOT);
        if (!mode.equals(AVERAGING) && !mode.equals(SHARING)) {
            throw new UserError("--spark-mode must be sharing or averaging, got " + mode);
        }
        if (master == null || master.isBlank()) {
            throw new UserError("--spark needs a master: local[N] or spark://host:port");
        }
        if (workers < 0 || batchPerWorker < 0 || averagingFrequency <= 0) {
            throw new UserError("--workers and --batch-per-worker must not be negative, --averaging-frequency must be "
                    + "positive");
        }
    }

    /** Whether Spark and dl4j-spark are on the class path (they are only in a {@code -Pspark} build or spark-submit). */
    public static boolean sparkOnClasspath() {
        try {
            Class.forName("org.apache.spark.SparkContext", false, SparkOptions.class.getClassLoader());
            Class.forName("org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer", false,
                    SparkOptions.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The worker count a {@code local[N]} master implies ({@code local[*]}: the cores), else 0 (ask Spark). */
    int localThreads() {
        if (master.equals("local")) {
            return 1;
        }
        if (master.startsWith("local[") && master.endsWith("]")) {
            String n = master.substring(6, master.length() - 1).split(",")[0];
            return n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
        }
        return 0;
    }
}
