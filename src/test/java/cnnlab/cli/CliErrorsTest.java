package cnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one clear line on stderr naming the problem, exit code 2, no stack trace. */
class CliErrorsTest {
    @TempDir
    Path tmp;

    /** Runs the CLI, returns {exit code, stdout, stderr}. */
    static Object[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            var cl = Main.commandLine();
            cl.setOut(new java.io.PrintWriter(out, true));
            cl.setErr(new java.io.PrintWriter(err, true));
            int code = cl.execute(args);
            return new Object[] {code, out.toString(), err.toString()};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static void assertUsageError(String expectedInMessage, String... args) {
        Object[] r = run(args);
        String err = (String) r[2];
        assertEquals(2, r[0], "exit code of " + String.join(" ", args) + "; stderr: " + err);
        assertTrue(err.contains(expectedInMessage), "stderr names the problem '" + expectedInMessage + "': " + err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
    }

    @Test
    void unknownExperimentOrTask() {
        assertUsageError("unknown experiment 'nope'", "train", "nope");
        assertUsageError("unknown data set or task 'nope'", "data", "preview", "nope");
    }

    @Test
    void nonPositiveHyperParameters() {
        assertUsageError("--epochs must be positive", "train", "shape-cnn", "--epochs", "0");
        assertUsageError("--batch must be positive", "train", "shape-cnn", "--batch", "-4");
        assertUsageError("--lr must be a positive number", "train", "shape-cnn", "--lr", "0");
        assertUsageError("--lr must be a positive number", "train", "shape-cnn", "--lr", "NaN");
        assertUsageError("--layers", "train", "shape-cnn", "--layers", "mine");
        assertUsageError("unknown --init 'he'", "train", "shape-cnn", "--init", "he");
        assertUsageError("--init applies to the book-framework experiments", "train", "cifar10-cnn", "--init", "standard");
        assertUsageError("Invalid value", "train", "shape-cnn", "--epochs", "many");
    }

    @Test
    void fileThatIsNotAModel() throws Exception {
        Path txt = Files.writeString(tmp.resolve("model.zip"), "hello");
        assertUsageError("is not a DL4J model", "eval", txt.toString());
        assertUsageError("model file not found", "eval", tmp.resolve("missing.zip").toString());
        assertUsageError("model file not found", "predict", tmp.resolve("missing.zip").toString(), "x.png");
    }

    @Test
    void unwritableOutputFolderLeavesNothingOverwritten() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "keep me");
        assertUsageError("is a file, not a folder", "train", "color-cnn", "--epochs", "1", "--out", file.toString(),
                "--models", tmp.resolve("models").toString());
        assertEquals("keep me", Files.readString(file));
        assertFalse(Files.exists(tmp.resolve("models")));
    }
}
