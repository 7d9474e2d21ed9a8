package cnnlab.cli;

import cnnlab.UserError;
import cnnlab.spark.SparkOptions;
import cnnlab.training.Step;

/** {@code cnnlab train ... --spark MASTER}: reads the Spark flags; Spark classes are touched only when present. */
final class SparkTrain {
    private SparkTrain() {
    }

    static Step start(TrainCommand c) {
        for (String flag : new String[] {"--workers", "--batch-per-worker"}) {
            // 0 stands for "the default" inside SparkOptions; given on the command line it is a mistake
            if (c.spec.commandLine().getParseResult().hasMatchedOption(flag)
                    && (int) c.spec.commandLine().getParseResult().matchedOptionValue(flag, 0) <= 0) {
                throw new UserError(flag + " must be a positive number, got "
                        + c.spec.commandLine().getParseResult().matchedOptionValue(flag, 0));
            }
        }
        SparkOptions so = new SparkOptions(c.spark, c.sparkMode, c.workers, c.batchPerWorker, c.averagingFrequency);
        if (!SparkOptions.sparkOnClasspath()) {
            throw new UserError("--spark needs Spark on the class path: build once with "
                    + "'mvn -B -Pcpu,spark -DskipTests package' (./cnnlab then uses target/spark-lib), or submit "
                    + "target/cnnlab-spark.jar with spark-submit (docs/SCALING.md)");
        }
        String name = c.resume != null ? c.resume.getFileName().toString() : String.valueOf(c.experiment);
        return cnnlab.spark.SparkStep.start(so, "cnnlab " + name, c.seed, System.out);
    }
}
