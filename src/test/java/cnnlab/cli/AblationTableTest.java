package cnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnnlab results}' ablation table of the modern recipes (beyond the book): one row per flag set. */
class AblationTableTest {

    private static void run(Path out, String id, String flags, double plain, String tta) throws Exception {
        Path dir = Files.createDirectories(out.resolve("cifar10-fast").resolve(id));
        Files.writeString(dir.resolve("result.json"), String.format(java.util.Locale.ROOT,
                "{\"experiment\":\"cifar10-fast\",\"test_accuracy_last\":%s,\"test_accuracy_best\":%s,"
                        + "\"epochs\":10,\"train_seconds\":1500,\"images_per_second\":330.0,\"seed\":42,"
                        + "\"layers\":\"dl4j\",\"train_limit\":0,\"stopped_early\":null,\"validation_set\":\"test\","
                        + "\"backend_detail\":\"cpu, 2 OpenMP thread(s)\",\"recipe\":{\"tta\":true},"
                        + "\"recipe_flags\":[%s],\"test_accuracy_tta\":%s,\"tta_seconds\":%s}",
                plain, plain, flags, tta, tta.equals("null") ? "null" : "65"));
    }

    @Test
    void oneRowPerFlagSetWithAndWithoutTta(@TempDir Path out) throws Exception {
        run(out, "20260101-000000", "", 0.9344, "0.9405");
        run(out, "20260101-000001", "\"no-tta\",\"no-ema\"", 0.93, "null");
        String t = ResultsCommandTest.results("results", "--out", out.toString());
        assertTrue(t.contains("| cifar10-fast | none (full recipe) | 10 | 93.44% | 94.05% | 25m00s | 1m05s | "
                + "`CNNLAB_THREADS=2 ./cnnlab train cifar10-fast` |"), t);
        assertTrue(t.contains("| cifar10-fast | --no-tta --no-ema | 10 | 93.00% | - | 25m00s | - | "
                + "`CNNLAB_THREADS=2 ./cnnlab train cifar10-fast --no-tta --no-ema` |"), t);
    }
}
