package cnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnnlab results}: the newest run of each experiment, with the flags that reproduce it. */
class ResultsCommandTest {

    private static void result(Path out, String experiment, String run, double last, double best, int seed,
                               String validation) throws Exception {
        result(out, experiment, run, last, best, seed, validation, 1);
    }

    private static void result(Path out, String experiment, String run, double last, double best, int seed,
                               String validation, int threads) throws Exception {
        Path dir = Files.createDirectories(out.resolve(experiment).resolve(run));
        Files.writeString(dir.resolve("result.json"), String.format(java.util.Locale.ROOT,
                "{\"experiment\":\"%s\",\"book_accuracy\":0.7372,\"test_accuracy_last\":%s,\"test_accuracy_best\":%s,"
                        + "\"epochs\":25,\"train_seconds\":3600,\"images_per_second\":300.0,\"seed\":%d,"
                        + "\"layers\":\"dl4j\",\"train_limit\":0,\"stopped_early\":null,"
                        + "\"backend_detail\":\"cpu (nd4j-native), BLAS OPENBLAS, %d OpenMP thread(s)\"%s}",
                experiment, last, best, seed, threads,
                validation == null ? "" : ",\"validation_set\":\"" + validation + "\""));
    }

    @Test
    void newestRunWinsAndTestChosenBestIsMarked(@TempDir Path out) throws Exception {
        result(out, "cifar10-cnn", "20260101-000000", 0.70, 0.71, 42, null);
        result(out, "cifar10-cnn", "20260102-000000", 0.74, 0.75, 42, "test", 2);
        result(out, "fashion-cnn", "20260101-000000", 0.905, 0.91, 7, "held-out");
        result(out, "fashion-cnn", "20260101-000001", 0.80, 0.81, 42, "held-out");
        result(out, "no-longer-an-experiment", "20260101-000000", 0.5, 0.5, 42, null);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run("results", "--out", out.toString()));
        } finally {
            System.setOut(old);
        }
        String table = buf.toString(StandardCharsets.UTF_8); // fashion-cnn's 25 epochs are not its default 10
        assertTrue(table.contains("| cifar10-cnn | 18.6 | 73.72% | 74.00% | 75.00% (chosen on test) | 25 |"), table);
        assertTrue(table.contains("`CNNLAB_THREADS=2 ./cnnlab train cifar10-cnn` |"), "two threads: " + table);
        assertFalse(table.contains("70.00%"), "the older run is not listed");
        assertTrue(table.contains("| 90.50% | 91.00% |") && table.contains("`./cnnlab train fashion-cnn --epochs 25 --seed 7`"),
                table);
        assertTrue(table.contains("| 80.00% | 81.00% |") && table.contains("`./cnnlab train fashion-cnn --epochs 25` |"),
                "one row per flag combination: " + table);
        assertFalse(table.contains("no-longer"));
    }
}
