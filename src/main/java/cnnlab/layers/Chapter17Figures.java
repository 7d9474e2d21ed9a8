package cnnlab.layers;

import cnnlab.ImageGrid;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Two worked examples of chapter 17 drawn as numbered matrices, computed with this package's layers:
 * im2col's matrix shapes on the book's example (17.2 method 3) and max/average pooling forward and
 * backward with the book's incoming gradient (17.5.3, figure 17-34).
 */
public final class Chapter17Figures {
    private Chapter17Figures() {
    }

    /**
     * The 4×4 input of the pooling figure. The book's figures 17-32/17-34 are pictures whose numbers the
     * text does not give, so this input is ours: four 2×2 windows with one clear maximum each.
     */
    public static final double[] POOL_X = {1, 1, 2, 4, 5, 6, 7, 8, 3, 2, 1, 0, 1, 2, 3, 4};

    /** 17.5.3: the gradient {@code [[1,2],[3,4]]} that the next layer sends back to the pooling layer. */
    public static final double[] POOL_DELTA = {1, 2, 3, 4};

    /**
     * The matrices of 17.2 method 3 on the book's example.
     *
     * @param colX im2col of x, (N·outH·outW) × (C·kH·kW)
     * @param colW {@code W.reshape(O, −1)ᵀ}, (C·kH·kW) × O
     * @param product {@code col_x · col_w}, (N·outH·outW) × O
     * @param y the product reshaped to (N, outH, outW, O) and transposed to NCHW
     */
    public record Im2colShapes(INDArray colX, INDArray colW, INDArray product, INDArray y) {
    }

    /**
     * 17.2 method 3 on the book's example — x = arange(54) as (2,3,3,3), W = arange(24) as (2,3,2,2),
     * stride 1, no padding — drawn as {@code im2col.png}: col_x (8×12) · col_w (12×2) = 8×2, reshaped and
     * transposed to the (2,2,2,2) output. Columns are tinted by input channel, output columns by filter.
     */
    public static Im2colShapes im2col(Path dir, PrintStream out) {
        INDArray x = Nd4j.arange(54).castTo(DataType.DOUBLE).reshape('c', 2, 3, 3, 3);
        INDArray w = Nd4j.arange(24).castTo(DataType.DOUBLE).reshape('c', 2, 3, 2, 2);
        ConvGeometry g = Conv.geometry(x, w, 1, 1, 0, 0);
        INDArray colX = Im2col.im2colMatrix(x, g, 0.0);
        INDArray colW = w.reshape('c', 2, 12).transpose().dup('c');
        INDArray product = colX.mmul(colW);
        INDArray y = Im2colConv.forward(x, w, null, g).y();
        out.println("x " + Arrays.toString(x.shape()) + ", W " + Arrays.toString(w.shape()) + ": " + g);
        out.println("col_x " + shape(colX) + " (rows: sample, output position; columns: channel, kernel position), "
                + "first row " + Arrays.toString(colX.getRow(0).toDoubleVector()));
        out.println("col_w = W.reshape(2, -1).T " + shape(colW));
        out.println("col_x . col_w " + shape(product) + ", rows " + rows(product));
        out.println("reshape (2,2,2,2), transpose (0,3,1,2) -> y " + Arrays.toString(y.shape()));

        Color[] channel = {new Color(255, 222, 214), new Color(220, 242, 214), new Color(214, 226, 255)};
        Color[] filter = {new Color(255, 236, 190), new Color(235, 218, 250)};
        Panel px = new Panel(List.of("col_x = im2col(x): " + shape(colX), "rows: sample, output position",
                "columns: channel, kernel position"), matrix(colX), (r, c) -> channel[c / 4], 4, null);
        Panel pw = new Panel(List.of("col_w = W.reshape(2,-1).T", shape(colW), "rows: channel, kernel pos."),
                matrix(colW), (r, c) -> channel[r / 4], 4, null);
        Panel pp = new Panel(List.of("col_x . col_w", shape(product), "column f: filter f"), matrix(product),
                (r, c) -> filter[c], 4, null);
        List<Object> row = new ArrayList<>(List.of(px, "·", pw, "=", pp, "→"));
        for (int n = 0; n < 2; n++) {
            for (int f = 0; f < 2; f++) {
                double[][] m = matrix(y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(f)).reshape(2, 2));
                int ff = f;
                row.add(new Panel(List.of("y sample " + (n + 1), "channel " + (f + 1)), m, (r, c) -> filter[ff], 0, null));
            }
        }
        Path png = dir.resolve("im2col.png");
        ImageGrid.writePng(render("17.2 method 3: im2col on the book's example, x (2,3,3,3), W (2,3,2,2), stride 1,"
                + " no padding; y = col_x · col_w reshaped to (2,2,2,2), transposed (0,3,1,2)", List.of(row)), png);
        out.println("-> " + png);
        return new Im2colShapes(colX, colW, product, y);
    }

    /**
     * Results of the pooling figure, each row-major.
     *
     * @param maxY max pooling output (2×2)
     * @param maxDx max pooling input gradient (4×4)
     * @param avgY average pooling output (2×2)
     * @param avgDx average pooling input gradient (4×4)
     */
    public record PoolingExample(double[] maxY, double[] maxDx, double[] avgY, double[] avgDx) {
    }

    /**
     * 17.5: 2×2 max and average pooling, stride 2, forward on {@link #POOL_X} and backward with the book's
     * gradient {@link #POOL_DELTA}, drawn as {@code pooling.png}: max sends each gradient to its window's
     * maximum, average spreads it as a quarter to each position. Windows share a tint; winners are framed.
     */
    public static PoolingExample pooling(Path dir, PrintStream out) {
        INDArray x = Nd4j.create(POOL_X, new long[] {1, 1, 4, 4}, DataType.DOUBLE);
        INDArray delta = Nd4j.create(POOL_DELTA, new long[] {1, 1, 2, 2}, DataType.DOUBLE);
        ConvGeometry g = Pooling.geometry(x, 2, 2, 2, 2, 0, 0);
        Color[] window = {new Color(255, 226, 204), new Color(214, 236, 255), new Color(222, 244, 210),
            new Color(240, 222, 250)};
        List<List<Object>> rows = new ArrayList<>();
        double[][] results = new double[4][];
        for (PoolingType type : new PoolingType[] {PoolingType.MAX, PoolingType.AVG}) {
            Pooling.Forward f = Pooling.forward(Impl.DIRECT, type, x, g);
            double[] dx = Nchw.data(Pooling.backward(Impl.DIRECT, type, f, delta, g));
            double[] y = Nchw.data(f.y());
            boolean max = type == PoolingType.MAX;
            results[max ? 0 : 2] = y;
            results[max ? 1 : 3] = dx;
            boolean[] won = new boolean[16];
            if (max) {
                for (int a : f.argmax()) {
                    won[a] = true;
                }
            }
            String name = max ? "max" : "average";
            out.println(name + " pooling 2x2 stride 2: y " + Arrays.toString(y) + "; delta " + Arrays.toString(POOL_DELTA)
                    + " -> dx " + Arrays.toString(dx));
            Cell inWindow = (r, c) -> window[(r / 2) * 2 + c / 2];
            Cell outWindow = (r, c) -> window[r * 2 + c];
            rows.add(List.of(
                    new Panel(List.of(name + " pooling", "x (4×4)"), grid(POOL_X, 4), inWindow, 0, max ? won : null),
                    "→",
                    new Panel(List.of("forward", "y (2×2)"), grid(y, 2), outWindow, 0, null),
                    "   ",
                    new Panel(List.of("backward: book's δ", "from the next layer"), grid(POOL_DELTA, 2), outWindow, 0, null),
                    "→",
                    new Panel(List.of(max ? "δ to each window's max," : "δ/4 to every position", "dx (4×4)"), grid(dx, 4),
                            inWindow, 0, max ? won : null)));
        }
        Path png = dir.resolve("pooling.png");
        ImageGrid.writePng(render("17.5: 2×2 pooling, stride 2, forward and backward (the gradient [[1,2],[3,4]] of"
                + " 17.5.3)", rows), png);
        out.println("-> " + png);
        return new PoolingExample(results[0], results[1], results[2], results[3]);
    }

    // ---- drawing: rows of numbered matrices with operators between them ----

    private interface Cell {
        Color fill(int row, int col);
    }

    /**
     * One matrix with a caption above it.
     *
     * @param band a thicker line after every {@code band} rows (0: none)
     * @param framed cells drawn with a frame (row-major flags), or null
     */
    private record Panel(List<String> caption, double[][] m, Cell fill, int band, boolean[] framed) {
    }

    private static final int CELL_H = 17;
    private static final int LINE_H = 13;
    private static final int GAP = 10;
    private static final Font NUMBER = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 12);
    private static final Font OPERATOR = new Font(Font.SANS_SERIF, Font.BOLD, 18);

    private static BufferedImage render(String title, List<List<Object>> rows) {
        Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        int width = probe.getFontMetrics(TITLE).stringWidth(title) + 2 * GAP;
        int height = 24;
        List<int[]> rowSizes = new ArrayList<>();
        for (List<Object> row : rows) {
            int w = GAP, capLines = 0, cells = 0;
            for (Object o : row) {
                w += widthOf(o, probe) + GAP;
                if (o instanceof Panel p) {
                    capLines = Math.max(capLines, p.caption().size());
                    cells = Math.max(cells, p.m().length);
                }
            }
            rowSizes.add(new int[] {capLines, cells});
            width = Math.max(width, w);
            height += capLines * LINE_H + 4 + cells * CELL_H + 2 * GAP;
        }
        probe.dispose();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        g.drawString(title, GAP, 16);
        int y = 24 + GAP;
        for (int i = 0; i < rows.size(); i++) {
            int capLines = rowSizes.get(i)[0], cells = rowSizes.get(i)[1];
            int top = y + capLines * LINE_H + 4;
            int x = GAP;
            for (Object o : rows.get(i)) {
                int w = widthOf(o, g);
                if (o instanceof Panel p) {
                    g.setFont(TEXT);
                    g.setColor(Color.BLACK);
                    for (int k = 0; k < p.caption().size(); k++) {
                        g.drawString(p.caption().get(k), x, top - 4 - (p.caption().size() - 1 - k) * LINE_H);
                    }
                    drawMatrix(g, p, x, top, cellWidth(p, g));
                } else {
                    g.setFont(OPERATOR);
                    g.setColor(Color.DARK_GRAY);
                    g.drawString((String) o, x, top + cells * CELL_H / 2 + 6);
                }
                x += w + GAP;
            }
            y = top + cells * CELL_H + 2 * GAP;
        }
        g.dispose();
        return img;
    }

    private static void drawMatrix(Graphics2D g, Panel p, int x0, int y0, int cw) {
        double[][] m = p.m();
        g.setFont(NUMBER);
        FontMetrics fm = g.getFontMetrics();
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[r].length; c++) {
                int x = x0 + c * cw, y = y0 + r * CELL_H;
                g.setColor(p.fill().fill(r, c));
                g.fillRect(x, y, cw, CELL_H);
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(x, y, cw, CELL_H);
                String s = number(m[r][c]);
                boolean framed = p.framed() != null && p.framed()[r * m[r].length + c];
                g.setColor(Color.BLACK);
                g.setFont(framed ? NUMBER.deriveFont(Font.BOLD) : NUMBER);
                g.drawString(s, x + (cw - g.getFontMetrics().stringWidth(s)) / 2, y + CELL_H - 4);
                if (framed) {
                    g.setStroke(new BasicStroke(2f));
                    g.drawRect(x + 1, y + 1, cw - 2, CELL_H - 2);
                    g.setStroke(new BasicStroke(1f));
                }
            }
        }
        int w = m[0].length * cw, h = m.length * CELL_H;
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1.5f));
        g.drawRect(x0, y0, w, h);
        if (p.band() > 0) {
            for (int r = p.band(); r < m.length; r += p.band()) {
                g.drawLine(x0, y0 + r * CELL_H, x0 + w, y0 + r * CELL_H);
            }
        }
        g.setStroke(new BasicStroke(1f));
        g.setFont(fm.getFont());
    }

    private static int widthOf(Object o, Graphics2D g) {
        if (o instanceof Panel p) {
            int caption = 0;
            for (String s : p.caption()) {
                caption = Math.max(caption, g.getFontMetrics(TEXT).stringWidth(s));
            }
            return Math.max(caption, p.m()[0].length * cellWidth(p, g));
        }
        return g.getFontMetrics(OPERATOR).stringWidth((String) o);
    }

    private static int cellWidth(Panel p, Graphics2D g) {
        int w = 0;
        for (double[] row : p.m()) {
            for (double v : row) {
                w = Math.max(w, g.getFontMetrics(NUMBER.deriveFont(Font.BOLD)).stringWidth(number(v)));
            }
        }
        return Math.max(CELL_H + 2, w + 8);
    }

    /** 3, 3.25, -0.5: whole numbers without a decimal point, others with up to two decimals. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
    }

    private static double[][] matrix(INDArray a) {
        return a.toDoubleMatrix();
    }

    private static double[][] grid(double[] v, int w) {
        double[][] m = new double[v.length / w][w];
        for (int i = 0; i < v.length; i++) {
            m[i / w][i % w] = v[i];
        }
        return m;
    }

    private static String shape(INDArray a) {
        return a.size(0) + "×" + a.size(1);
    }

    private static String rows(INDArray a) {
        StringBuilder b = new StringBuilder();
        for (double[] r : a.toDoubleMatrix()) {
            b.append(b.length() == 0 ? "" : " ").append(Arrays.toString(Arrays.stream(r).mapToLong(v -> (long) v).toArray()));
        }
        return b.toString();
    }
}
