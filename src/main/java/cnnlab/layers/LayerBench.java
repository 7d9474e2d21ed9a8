package cnnlab.layers;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The book's three timing experiments (17.2, 17.4, 17.5) on its test shapes — a batch of 64 images
 * 3×28×28, 4 filters 3×3, stride 1, padding 1; max pooling 2×2 stride 2 — for the direct loops, im2col
 * and DL4J's own layers. Each row times every call on its own and reports the median.
 */
public final class LayerBench {

    /**
     * One timing.
     *
     * @param experiment what was timed
     * @param op conv-forward, conv-forward-backward or maxpool-forward-backward
     * @param impl direct, im2col or dl4j
     * @param calls timed calls
     * @param msPerCall median milliseconds per call
     * @param bookMsPerCall the book's figure for the same method (numba loops / NumPy im2col), NaN if none
     */
    public record Row(String experiment, String op, String impl, int calls, double msPerCall, double bookMsPerCall) {
        public double speedupVsBook() {
            return bookMsPerCall / msPerCall;
        }
    }

    /** An experiment: what to run, how often, and the book's per-call times (direct, im2col). */
    private record Experiment(String name, SingleLayer.Op op, boolean backward, int calls, double bookDirect,
                              double bookIm2col) {
    }

    private static final List<Experiment> EXPERIMENTS = List.of(
            new Experiment("conv forward, 10 calls (17.2)", SingleLayer.Op.CONV, false, 10, 73.0 / 10, Double.NaN),
            new Experiment("conv forward, 1000 calls (17.2)", SingleLayer.Op.CONV, false, 1000, 11.66, 14.93),
            new Experiment("conv forward+backward, 1000 calls (17.4)", SingleLayer.Op.CONV, true, 1000, 11.83, 3.54),
            new Experiment("max pool forward+backward, 5000 calls (17.5)", SingleLayer.Op.MAXPOOL, true, 5000,
                    17540.0 / 5000, 22520.0 / 5000));

    private LayerBench() {
    }

    /**
     * Runs every experiment for every implementation.
     *
     * @param callsScale multiplies the book's call counts (at least 5 calls, or the book's count if smaller)
     * @param type DOUBLE (the book's NumPy default) or FLOAT
     * @param progress where to report progress (null for none)
     */
    public static List<Row> run(double callsScale, DataType type, PrintStream progress) {
        Nd4j.getRandom().setSeed(17);
        INDArray x = Nd4j.randn(type, 64, 3, 28, 28);
        INDArray w = Nd4j.randn(type, 4, 3, 3, 3).muli(0.1);
        INDArray b = Nd4j.randn(type, 4);
        List<Row> rows = new ArrayList<>();
        for (Experiment e : EXPERIMENTS) {
            int calls = Math.max(Math.min(e.calls, 5), (int) Math.round(e.calls * callsScale));
            for (SingleLayer.Engine engine : SingleLayer.Engine.values()) {
                boolean conv = e.op == SingleLayer.Op.CONV;
                SingleLayer layer = new SingleLayer(e.op, engine, x, conv ? w : null, conv ? b : null,
                        new int[] {2, 2}, conv ? new int[] {1, 1} : new int[] {2, 2},
                        conv ? new int[] {1, 1} : new int[] {0, 0});
                ConvGeometry g = layer.geometry();
                INDArray delta = e.backward ? Nd4j.randn(type, 64, conv ? 4 : 3, g.outH(), g.outW()) : null;
                for (int i = 0; i < 3; i++) {
                    call(layer, x, delta);
                }
                double[] ms = new double[calls];
                long reportAt = System.nanoTime() + 5_000_000_000L;
                for (int i = 0; i < calls; i++) {
                    long t0 = System.nanoTime();
                    call(layer, x, delta);
                    long t1 = System.nanoTime();
                    ms[i] = (t1 - t0) / 1e6;
                    collectIfNeeded();
                    if (progress != null && t1 > reportAt) {
                        progress.printf("  %s, %s: %d/%d calls%n", e.name, engine.name().toLowerCase(Locale.ROOT),
                                i + 1, calls);
                        reportAt = t1 + 5_000_000_000L;
                    }
                }
                Arrays.sort(ms);
                double median = calls % 2 == 1 ? ms[calls / 2] : (ms[calls / 2 - 1] + ms[calls / 2]) / 2;
                double book = switch (engine) {
                    case DIRECT -> e.bookDirect;
                    case IM2COL -> e.bookIm2col;
                    case DL4J -> Double.NaN;
                };
                String op = (conv ? "conv" : "maxpool") + (e.backward ? "-forward-backward" : "-forward");
                Row row = new Row(e.name, op, engine.name().toLowerCase(Locale.ROOT), calls, median, book);
                rows.add(row);
                if (progress != null) {
                    progress.printf("%s, %s: %.3f ms/call%n", e.name, row.impl(), median);
                }
            }
        }
        return rows;
    }

    /**
     * Off-heap arrays are freed only when the garbage collector finds their Java handles dead; DL4J's layer
     * run outside workspaces allocates tens of MB per call but little Java heap, so without a push the
     * process grows until the OOM killer stops it. Runs outside the timed region.
     */
    private static void collectIfNeeded() {
        if (org.bytedeco.javacpp.Pointer.physicalBytes() > GC_ABOVE_BYTES) {
            System.gc();
        }
    }

    private static final long GC_ABOVE_BYTES = 3L << 30;

    private static void call(SingleLayer layer, INDArray x, INDArray delta) {
        if (delta == null) {
            layer.forward(x);
        } else {
            layer.apply(x, delta);
        }
    }

    /** The rows of one experiment's DL4J run, for the ratio column. */
    private static double dl4j(List<Row> rows, Row r) {
        return rows.stream().filter(o -> o.experiment().equals(r.experiment()) && o.impl().equals("dl4j"))
                .mapToDouble(Row::msPerCall).findFirst().orElse(Double.NaN);
    }

    /** A text table: median ms per call, ratio to DL4J's layer, the book's figure and our speed-up over it. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-46s %-7s %6s %12s %9s %12s %10s%n", "experiment", "impl", "calls",
                "ms/call", "x dl4j", "book ms/call", "book/ours"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-46s %-7s %6d %12.3f %9.2f %12s %10s%n", r.experiment(), r.impl(),
                    r.calls(), r.msPerCall(), r.msPerCall() / dl4j(rows, r),
                    Double.isNaN(r.bookMsPerCall()) ? "-" : String.format(Locale.ROOT, "%.2f", r.bookMsPerCall()),
                    Double.isNaN(r.bookMsPerCall()) ? "-" : String.format(Locale.ROOT, "%.1f", r.speedupVsBook())));
        }
        return sb.toString();
    }

    /** JSON: one object per row. */
    public static String json(List<Row> rows) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(String.format(Locale.ROOT,
                    "  {\"experiment\":\"%s\",\"op\":\"%s\",\"impl\":\"%s\",\"calls\":%d,\"ms_per_call\":%.6f,"
                            + "\"ratio_to_dl4j\":%s,\"book_ms_per_call\":%s,\"speedup_vs_book\":%s}%s%n",
                    r.experiment(), r.op(), r.impl(), r.calls(), r.msPerCall(), num(r.msPerCall() / dl4j(rows, r)),
                    num(r.bookMsPerCall()), num(r.speedupVsBook()), i + 1 < rows.size() ? "," : ""));
        }
        return sb.append("]").toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.4f", v);
    }
}
