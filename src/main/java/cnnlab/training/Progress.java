package cnnlab.training;

import java.io.PrintStream;

/**
 * A one-line progress bar with ETA on stderr. On a terminal it redraws in place; otherwise (logs,
 * CI) it prints a line at most every few seconds.
 */
public final class Progress {
    private final PrintStream out;
    private final long total;
    private final boolean tty;
    private final long start = System.nanoTime();
    private final long startDone;
    private long lastPrint;

    /** A bar over {@code total} steps of which {@code done} are already done (a resumed run). */
    public Progress(long total, long done) {
        this(total, done, System.err, System.console() != null);
    }

    Progress(long total, long done, PrintStream out, boolean tty) {
        this.total = Math.max(1, total);
        this.startDone = done;
        this.out = out;
        this.tty = tty;
    }

    /** Shows {@code done} of {@code total} steps, with a status text. */
    public void update(long done, String status) {
        long now = System.nanoTime();
        boolean last = done >= total;
        if (!last && now - lastPrint < (tty ? 200_000_000L : 5_000_000_000L)) {
            return;
        }
        lastPrint = now;
        double frac = Math.min(1.0, (double) done / total);
        double elapsed = (now - start) / 1e9;
        long doneHere = done - startDone;
        double eta = doneHere <= 0 ? Double.NaN : elapsed * (total - done) / doneHere;
        int width = 24, fill = (int) Math.round(frac * width);
        String bar = "[" + "#".repeat(fill) + ".".repeat(width - fill) + "]";
        String line = String.format("%s %5.1f%% %s | %s elapsed, ETA %s", bar, 100 * frac, status,
                clock(elapsed), Double.isNaN(eta) ? "?" : clock(eta));
        if (tty) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Seconds as {@code 1h02m03s}, {@code 2m03s} or {@code 3s}. */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format("%dh%02dm%02ds", s / 3600, s % 3600 / 60, s % 60);
        }
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
