package cnnlab.training;

import cnnlab.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training history the book plots: train and validation loss and accuracy at every check.
 * Train loss is the mean over the iterations since the previous check; train accuracy is measured
 * on the mini-batch of the check (as the book's framework does).
 */
public final class History {
    /** One validation check. */
    public record Check(int epoch, long iteration, double trainLoss, double trainAccuracy, double valLoss,
                        double valAccuracy) {
    }

    public static final String HEADER = "epoch,iteration,train_loss,train_acc,val_loss,val_acc";

    private final List<Check> checks = new ArrayList<>();

    public void add(Check c) {
        checks.add(c);
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    public boolean isEmpty() {
        return checks.isEmpty();
    }

    public Check last() {
        return checks.get(checks.size() - 1);
    }

    /** The check with the highest validation accuracy (the earliest on ties). */
    public Check best() {
        Check best = null;
        for (Check c : checks) {
            if (best == null || c.valAccuracy() > best.valAccuracy()) {
                best = c;
            }
        }
        return best;
    }

    public String toCsv() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Check c : checks) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f%n", c.epoch(), c.iteration(),
                    c.trainLoss(), c.trainAccuracy(), c.valLoss(), c.valAccuracy()));
        }
        return sb.toString();
    }

    /** Reads the CSV text of {@link #toCsv}. */
    public static History fromCsv(String csv) {
        History h = new History();
        List<String> lines = csv.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException("not a cnnlab metrics file (header should be " + HEADER + ")");
        }
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                String[] f = line.split(",");
                h.add(new Check(Integer.parseInt(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])));
            }
        }
        return h;
    }

    /** Writes {@code metrics.csv} atomically (it is rewritten at every checkpoint while others may read it). */
    public void writeCsv(Path file) {
        AtomicFiles.writeString(file, toCsv());
    }

    /** Reads a {@code metrics.csv} written by {@link #writeCsv}. */
    public static History readCsv(Path file) {
        try {
            return fromCsv(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read history " + file + ": " + e.getMessage(), e);
        }
    }
}
