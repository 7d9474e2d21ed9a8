package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.cli.MainAccess;
import cnnlab.models.Experiments;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with {@code kill -9} resumes from its checkpoint (falling back to the
 * previous one when the newest is damaged) and ends exactly as an uninterrupted run; two seeded runs
 * are identical; a diverging run stops with exit code 3 and loses nothing already saved.
 */
class TrainingSurvivesTest {
    static final int EPOCHS = 3;
    static final int LIMIT = 480; // training images: 30 iterations of 16 per epoch

    @TempDir
    static Path tmp;

    static Trainer.Outcome uninterrupted;

    static Trainer.Options options(Path out) {
        return new Trainer.Options(Experiments.get("shape-color-cnn")).epochs(EPOCHS).trainLimit(LIMIT).seed(5)
                .out(out).modelsDir(null);
    }

    static Trainer quiet() {
        return new Trainer(new PrintStream(new ByteArrayOutputStream()));
    }

    @BeforeAll
    static void trainOnce() {
        uninterrupted = quiet().run(options(tmp.resolve("a")));
    }

    @Test
    void twoSeededRunsGiveIdenticalMetrics() throws Exception {
        Trainer.Outcome again = quiet().run(options(tmp.resolve("b")));
        assertEquals(Files.readString(uninterrupted.runDir().resolve("metrics.csv")),
                Files.readString(again.runDir().resolve("metrics.csv")));
        assertEquals(uninterrupted.result().testAccuracyBest(), again.result().testAccuracyBest());
    }

    @Test
    void killedRunResumesFromThePreviousCheckpointWhenTheNewestIsDamaged() throws Exception {
        Path out = tmp.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "cnnlab.cli.Main", "train", "shape-color-cnn", "--epochs", String.valueOf(EPOCHS), "--train-limit",
                String.valueOf(LIMIT), "--seed", "5", "--out", out.toString(), "--models", tmp.resolve("m").toString(),
                "--checkpoint-minutes", "0.01");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
        Process child = pb.start();
        Path runDir = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline && child.isAlive()) {
            runDir = onlyRun(out);
            if (runDir != null && Files.exists(runDir.resolve(Checkpoint.PREVIOUS))
                    && History.readCsv(runDir.resolve("metrics.csv")).checks().size() >= 12) {
                break; // two checkpoints on disk, well into epoch 2
            }
            Thread.sleep(50);
        }
        assertTrue(child.isAlive(), "the child run must still be training when killed: "
                + Files.readString(tmp.resolve("child.log")));
        // Checkpoint.write renames checkpoint.zip to checkpoint-prev.zip and then the new file into place: the
        // child is frozen (SIGSTOP) and killed only at a moment when both checkpoints are on disk
        while (true) {
            signal(child, "STOP");
            if (Files.exists(runDir.resolve(Checkpoint.FILE)) && Files.exists(runDir.resolve(Checkpoint.PREVIOUS))) {
                break;
            }
            signal(child, "CONT");
            Thread.sleep(5);
        }
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(runDir.resolve("result.json")), "killed before the end");

        Path newest = runDir.resolve(Checkpoint.FILE);
        try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2); // a damaged checkpoint on disk
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Trainer.Outcome resumed = new Trainer(new PrintStream(log, true)).resume(runDir, null);
        assertTrue(log.toString().contains("checkpoint.zip is damaged"), log.toString());
        assertTrue(log.toString().contains("resuming from checkpoint-prev.zip"), log.toString());
        assertEquals(EPOCHS, resumed.result().epochs());
        assertTrue(resumed.result().resumed());

        List<History.Check> h = History.readCsv(runDir.resolve("metrics.csv")).checks();
        for (int i = 1; i < h.size(); i++) {
            assertTrue(h.get(i).iteration() > h.get(i - 1).iteration(), "history is continuous at check " + i);
        }
        // no dropout, deterministic shuffling, updater state in the checkpoint: the same run exactly
        assertEquals(Files.readString(uninterrupted.runDir().resolve("metrics.csv")),
                Files.readString(runDir.resolve("metrics.csv")));
        assertEquals(uninterrupted.result().testAccuracyBest(), resumed.result().testAccuracyBest());
        assertFalse(Files.exists(runDir.resolve(Checkpoint.FILE)), "checkpoints are removed when the run ends");
    }

    @Test
    void divergingRunStopsWithExitCode3AndKeepsWhatWasSaved() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        byte[] earlier = "an earlier good model".getBytes();
        Files.write(models.resolve("shape-color-cnn.zip"), earlier);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cl = MainAccess.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true));
        int code = cl.execute("train", "shape-color-cnn", "--lr", "1e4", "--epochs", "2", "--train-limit",
                String.valueOf(LIMIT), "--out", tmp.resolve("div").toString(), "--models", models.toString());
        assertEquals(3, code, err.toString());
        assertTrue(err.toString().contains("training diverged"), err.toString());
        assertTrue(err.toString().contains("epoch 1, iteration"), err.toString());
        assertArrayEquals(earlier, Files.readAllBytes(models.resolve("shape-color-cnn.zip")));
    }

    @Test
    void patienceStopsEarlyAndKeepsTheBestModel() {
        Trainer.Outcome r = quiet().run(options(tmp.resolve("p")).epochs(20).patience(3));
        assertTrue(r.result().epochs() < 20, "stopped early");
        assertTrue(String.valueOf(r.result().stoppedEarly()).contains("3 checks"));
        History h = r.history();
        int bestIdx = h.checks().indexOf(h.best());
        assertEquals(h.checks().size() - 1 - 3, bestIdx, "stopped 3 checks after the best one");
        assertEquals(h.best().valAccuracy(), r.result().bestValidationAccuracy(), 0);
    }

    /** Sends {@code SIGname} to a process (through the shell's {@code kill}, on any POSIX system). */
    private static void signal(Process p, String name) throws Exception {
        Process kill = new ProcessBuilder("sh", "-c", "kill -" + name + " " + p.pid()).redirectErrorStream(true).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0,
                "kill -" + name + ": " + new String(kill.getInputStream().readAllBytes()));
    }

    private static Path onlyRun(Path out) throws Exception {
        Path dir = out.resolve("shape-color-cnn");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findFirst().orElse(null);
        }
    }
}
