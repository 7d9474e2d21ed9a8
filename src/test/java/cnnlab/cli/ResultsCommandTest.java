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
        result(out, "cifar10-cnn", "20260101-000000", 0.70, 0.71, 42, null, 2);
        result(out, "cifar10-cnn", "20260102-000000", 0.74, 0.75, 42, "test", 2);
        result(out, "fashion-cnn", "20260101-000000", 0.905, 0.91, 7, "held-out");
        result(out, "fashion-cnn", "20260101-000001", 0.80, 0.81, 42, "held-out");
        result(out, "no-longer-an-experiment", "20260101-000000", 0.5, 0.5, 42, null);
        String table = results("results", "--out", out.toString()); // fashion-cnn's 25 epochs are not its default 10
        assertTrue(table.contains("| cifar10-cnn | 18.6 | 73.72% | 74.00% | 75.00% (chosen on test) | +0.28 (last) | 25 |"), table);
        assertTrue(table.contains("`CNNLAB_THREADS=2 ./cnnlab train cifar10-cnn` |"), "two threads: " + table);
        assertFalse(table.contains("70.00%"), "the older run is not listed");
        assertTrue(table.contains("| 90.50% | 91.00% | +16.78 (last) |") && table.contains("`./cnnlab train fashion-cnn --epochs 25 --seed 7`"),
                table);
        assertTrue(table.contains("| 80.00% | 81.00% | +6.28 (last) |") && table.contains("`./cnnlab train fashion-cnn --epochs 25` |"),
                "one row per flag combination: " + table);
        assertFalse(table.contains("no-longer"));
        // shape-cnn's book figure is its reloaded best model's
        result(out, "shape-cnn", "20260101-000000", 0.70, 0.75, 42, "held-out");
        String again = results("results", "--out", out.toString());
        assertTrue(again.contains("| 70.00% | 75.00% | +1.28 (best) |"), again);
    }

    /** What {@code cnnlab ARGS} prints on stdout (exit code 0 asserted). */
    static String results(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void overSeedsGivesTheSpreadAndHowManyRunsReachTheBook(@TempDir Path out) throws Exception {
        result(out, "cifar10-cnn", "20260101-000000", 0.70, 0.71, 42, "test");
        result(out, "cifar10-cnn", "20260101-000001", 0.74, 0.76, 1, "test");
        result(out, "cifar10-cnn", "20260101-000002", 0.75, 0.77, 2, "test");
        result(out, "cifar10-cnn", "20260101-000003", 0.60, 0.60, 2, "test", 2); // another thread count: own row
        result(out, "cifar10-cnn", "20260101-000004", 0.61, 0.61, 3, "test", 2);
        result(out, "shape-cnn", "20260101-000000", 0.70, 0.75, 42, "held-out");
        result(out, "shape-cnn", "20260101-000001", 0.80, 0.72, 1, "held-out");
        for (String exp : new String[] {"cifar10-cnn", "shape-cnn"}) { // the helper writes 25 epochs
            for (Path f : Files.walk(out.resolve(exp)).filter(p -> p.endsWith("result.json")).toList()) {
                Files.writeString(f, Files.readString(f).replace("\"epochs\":25", "\"epochs\":"
                        + cnnlab.models.Experiments.get(exp).epochs()));
            }
        }
        for (int seed : new int[] {7, 8}) { // oneDNN off: its own row
            result(out, "shape-cnn", "2026010" + seed + "-000000", 0.90, 0.90, seed, "held-out");
            Path noOneDnn = out.resolve("shape-cnn/2026010" + seed + "-000000/result.json");
            Files.writeString(noOneDnn, Files.readString(noOneDnn).replace("thread(s)", "thread(s), no oneDNN")
                    .replace("\"epochs\":25", "\"epochs\":50"));
        }
        result(out, "fashion-cnn", "20260101-000000", 0.90, 0.90, 42, "held-out"); // one seed: left out
        String table = results("results", "--over-seeds", "--out", out.toString());
        assertTrue(table.contains("| shape-cnn | 73.72% | 7, 8 | 90.00% [90.00-90.00] | 90.00% [90.00-90.00] | 2 of 2 (best) "
                + "| `CNNLAB_ONEDNN=0 ./cnnlab train shape-cnn --seed N` |"), table);
        assertFalse(table.contains("| fashion-cnn |"), table);
        assertTrue(table.contains("(1 flag set with a single seed left out"), table);
        assertTrue(table.contains("| cifar10-cnn | 73.72% | 1, 2, 42 | 74.00% [70.00-75.00] | 76.00% [71.00-77.00] "
                + "| 2 of 3 (last) | `./cnnlab train cifar10-cnn --seed N` |"), table);
        assertTrue(table.contains("| 2, 3 | 60.50% [60.00-61.00] | 60.50% [60.00-61.00] | 0 of 2 (last) "
                + "| `CNNLAB_THREADS=2 ./cnnlab train cifar10-cnn --seed N` |"), table);
        assertTrue(table.contains("| shape-cnn | 73.72% | 1, 42 | 75.00% [70.00-80.00] | 73.50% [72.00-75.00] "
                + "| 1 of 2 (best) |"), "shape-cnn is compared on its best model: " + table);
    }

    @Test
    void markdownReplacesOnlyTheGeneratedPartAndRefusesAFileWithoutIt(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("training");
        result(out, "cifar10-cnn", "20260101-000000", 0.70, 0.71, 42, "test");
        result(out, "cifar10-cnn", "20260101-000001", 0.74, 0.76, 1, "test");
        Path md = tmp.resolve("RESULTS.md");
        Files.writeString(md, "# Results\nhand-written intro quoting `" + ResultsCommand.BEGIN + "`\n\n" + ResultsCommand.BEGIN + "\nold table\n"
                + ResultsCommand.END + "\n\n## What the tables say\nhand-written notes\n");
        results("results", "--out", out.toString(), "--markdown", md.toString());
        String doc = Files.readString(md);
        assertTrue(doc.startsWith("# Results\nhand-written intro quoting `" + ResultsCommand.BEGIN + "`\n\n"
                + ResultsCommand.BEGIN + "\n## "), doc);
        assertTrue(doc.endsWith(ResultsCommand.END + "\n\n## What the tables say\nhand-written notes\n"), doc);
        assertFalse(doc.contains("old table"), doc);
        // both tables, as the plain commands print them
        String runs = results("results", "--out", out.toString());
        String seeds = results("results", "--over-seeds", "--out", out.toString());
        assertTrue(doc.contains(runs) && doc.contains(seeds), doc);
        assertTrue(doc.contains("| cifar10-cnn | 73.72% | 1, 42 |"), doc);

        // a file without the two lines is not overwritten: exit 2, unchanged
        Path other = Files.writeString(tmp.resolve("OTHER.md"), "# notes\n");
        assertEquals(2, Main.run("results", "--out", out.toString(), "--markdown", other.toString()));
        assertEquals("# notes\n", Files.readString(other));
        // a new file gets a title and the command that made it
        Path fresh = tmp.resolve("new.md");
        results("results", "--out", out.toString(), "--markdown", fresh.toString());
        String made = Files.readString(fresh);
        assertTrue(made.startsWith("# Results\n\nGenerated by `./cnnlab results --markdown " + fresh + " --out " + out + "`."), made);
        assertTrue(made.contains(runs) && made.contains(seeds), made);
    }
}
