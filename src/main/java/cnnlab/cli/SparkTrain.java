package cnnlab.cli;

import cnnlab.UserError;
import cnnlab.spark.SparkOptions;
import cnnlab.training.Step;

/** {@code cnnlab train ... --spark MASTER}: reads the Spark flags; Spark classes are touched only when present. */
final class SparkTrain {
    private SparkTrain() {
    }

    static Step start(TrainCommand c) {
        picocli.CommandLine.ParseResult given = c.spec.commandLine().getParseResult();
        for (String flag : new String[] {"--workers", "--batch-per-worker"}) {
            // 0 stands for "the default" inside SparkOptions; given on the command line it is a mistake
            int value = given.matchedOptionValue(flag, 1);
            if (value <= 0) {
                throw new UserError(flag + " must be a positive number, got " + value);
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
