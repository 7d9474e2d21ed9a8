package cnnlab.training;

import cnnlab.AtomicFiles;
import cnnlab.UserError;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * A run's checkpoints: {@code checkpoint.zip} (network with updater state, normalizer, loop
 * counters and history) and the one before it, {@code checkpoint-prev.zip}. Each is written to a
 * temporary file and renamed into place, so a crash mid-write leaves the previous one intact; a
 * damaged newest checkpoint falls back to the previous one.
 */
public record Checkpoint(Net net, State state) {
    public static final String FILE = "checkpoint.zip";
    public static final String PREVIOUS = "checkpoint-prev.zip";
    public static final String OPTIONS = "options.json";
    static final String STATE_ENTRY = "cnnlab-state.json";

    /** The training loop's counters. {@code epoch} is the epoch in progress, 1-based. */
    public static final class State {
        int epoch = 1;
        int batchesDone;
        long iteration;
        double bestVal = -1;
        int checksSinceBest;
        double lossSum;
        int lossCount;
        double seconds;
        String stopReason;
        boolean bestSaved = true;
        History history = new History();

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("batches_done", batchesDone);
            m.put("iteration", iteration);
            m.put("best_val", bestVal);
            m.put("checks_since_best", checksSinceBest);
            m.put("loss_sum", lossSum);
            m.put("loss_count", lossCount);
            m.put("seconds", seconds);
            m.put("history_csv", history.toCsv());
            return m;
        }

        static State fromMap(Map<String, Object> m) {
            State s = new State();
            s.epoch = ((Number) m.get("epoch")).intValue();
            s.batchesDone = ((Number) m.get("batches_done")).intValue();
            s.iteration = ((Number) m.get("iteration")).longValue();
            s.bestVal = ((Number) m.get("best_val")).doubleValue();
            s.checksSinceBest = ((Number) m.get("checks_since_best")).intValue();
            s.lossSum = ((Number) m.get("loss_sum")).doubleValue();
            s.lossCount = ((Number) m.get("loss_count")).intValue();
            s.seconds = ((Number) m.get("seconds")).doubleValue();
            s.history = History.fromCsv((String) m.get("history_csv"));
            return s;
        }
    }

    /**
     * Writes a checkpoint, the best model so far when it changed ({@code model.zip}), and the history
     * so far ({@code metrics.csv}).
     */
    static void write(Path runDir, Net net, State st, INDArray bestParams, DataNormalization normalizer,
                      ModelMeta meta) {
        if (!st.bestSaved && bestParams != null) {
            INDArray current = net.params().dup();
            net.setParams(bestParams);
            net.save(runDir.resolve("model.zip"), normalizer, meta.toJson());
            net.setParams(current);
            st.bestSaved = true;
        }
        st.history.writeCsv(runDir.resolve("metrics.csv"));
        Path next = runDir.resolve(".checkpoint-next.zip");
        try {
            net.save(next, normalizer, Map.of(ModelMeta.ENTRY, meta.toJson(), STATE_ENTRY, Json.write(st.toMap())));
        } catch (UserError e) {
            throw new UserError("cannot write the checkpoint of " + runDir + ": "
                    + e.getMessage().replaceFirst("^cannot save model to \\S+: ", "")
                    + (Files.exists(runDir.resolve(FILE)) ? " (the previous checkpoint is kept)" : ""), e);
        }
        try {
            if (Files.exists(runDir.resolve(FILE))) {
                Files.move(runDir.resolve(FILE), runDir.resolve(PREVIOUS), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(next, runDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(next);
            throw new UserError("cannot write checkpoint in " + runDir + ": " + AtomicFiles.reason(e), e);
        }
    }

    /** The newest readable checkpoint of a run; a damaged one is reported and the previous one used. */
    static Checkpoint load(Path runDir, PrintStream log) {
        String problems = "";
        for (String name : new String[] {FILE, PREVIOUS}) {
            Path f = runDir.resolve(name);
            if (!Files.exists(f)) {
                continue;
            }
            try {
                State st = State.fromMap(Json.read(readEntry(f, STATE_ENTRY), Map.class));
                Checkpoint cp = new Checkpoint(Net.load(f), st);
                if (!problems.isEmpty()) {
                    log.println("warning: " + problems + "resuming from " + name);
                }
                return cp;
            } catch (RuntimeException | IOException e) {
                problems += name + " is damaged (" + e.getMessage() + "); ";
            }
        }
        throw new UserError("no usable checkpoint in " + runDir + (problems.isEmpty() ? "" : ": " + problems)
                + "; the run cannot be resumed, start it again");
    }

    private static String readEntry(Path zip, String entry) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry en = z.getEntry(entry);
            if (en == null) {
                throw new IOException("no " + entry + " inside");
            }
            return new String(z.getInputStream(en).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The parameters of the best model saved so far, or null. */
    static INDArray bestParams(Path runDir) {
        Path best = runDir.resolve("model.zip");
        return Files.exists(best) ? Net.load(best).params().dup() : null;
    }

    /** Removes the checkpoints of a finished run. */
    static void delete(Path runDir) {
        try {
            Files.deleteIfExists(runDir.resolve(FILE));
            Files.deleteIfExists(runDir.resolve(PREVIOUS));
        } catch (IOException e) {
            // a left-over checkpoint does no harm
        }
    }
}
