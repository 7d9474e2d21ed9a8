package cnnlab.layers;

import cnnlab.ImageGrid;
import cnnlab.UserError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The chapter-17 demonstrations, each writing PNGs into a run folder and printing what it found. */
public final class Chapter17Demos {
    private Chapter17Demos() {
    }

    /** Table 17-1: the nine classic 3×3 kernels, in the book's order. */
    public static final String[] KERNEL_NAMES = {"sharpness", "vertical edge", "surround", "sobel-y", "nothing",
        "horizontal edge", "blur", "sobel-x", "emboss"};
    public static final double[][] KERNELS = {
        {0, -1, 0, -1, 5, -1, 0, -1, 0},
        {0, 0, 0, -1, 2, -1, 0, 0, 0},
        {1, 1, 1, 1, -9, 1, 1, 1, 1},
        {-1, -2, -1, 0, 0, 0, 1, 2, 1},
        {0, 0, 0, 0, 1, 0, 0, 0, 0},
        {0, -1, 0, 0, 2, 0, 0, -1, 0},
        {0.11, 0.11, 0.11, 0.11, 0.11, 0.11, 0.11, 0.11, 0.11},
        {-1, 0, 1, -2, 0, 2, -1, 0, 1},
        {2, 0, 0, 0, -1, 0, 0, 0, -1}};

    /** The default picture: a circle and a cross (grey ones on black, or a red circle and a green cross). */
    public static BufferedImage defaultPicture(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, size, size);
        g.setStroke(new BasicStroke(Math.max(2f, size / 16f)));
        g.setColor(new Color(230, 60, 40));
        int d = size * 5 / 8;
        g.drawOval(size / 12, size / 12, d, d);
        g.setColor(new Color(60, 220, 90));
        int c = size * 11 / 16;
        int arm = size / 4;
        g.drawLine(c - arm, c, c + arm, c);
        g.drawLine(c, c - arm, c, c + arm);
        g.setColor(new Color(70, 110, 240));
        g.fillRect(size / 8, size * 3 / 4, size / 4, size / 8);
        g.dispose();
        return img;
    }

    /** Reads a PNG/JPEG, or draws the default picture when {@code file} is null. */
    public static BufferedImage picture(Path file, int defaultSize) {
        if (file == null) {
            return defaultPicture(defaultSize);
        }
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new UserError(file + " is not an image ImageIO can read (use PNG or JPEG)");
            }
            return img;
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A 1×C×H×W array in [0, 1]: C = 3 (RGB) or 1 (grey, the channel mean). */
    public static INDArray toArray(BufferedImage img, boolean grey) {
        int h = img.getHeight();
        int w = img.getWidth();
        int c = grey ? 1 : 3;
        double[] a = new double[c * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                double[] ch = {(rgb >> 16 & 255) / 255.0, (rgb >> 8 & 255) / 255.0, (rgb & 255) / 255.0};
                if (grey) {
                    a[y * w + x] = (ch[0] + ch[1] + ch[2]) / 3;
                } else {
                    for (int k = 0; k < 3; k++) {
                        a[(k * h + y) * w + x] = ch[k];
                    }
                }
            }
        }
        return Nd4j.create(a, new long[] {1, c, h, w}, DataType.DOUBLE);
    }

    /** Map {@code c} of sample 0 as rows. */
    static double[][] map(INDArray a, int c) {
        int h = (int) a.size(2);
        int w = (int) a.size(3);
        double[] d = Nchw.data(a);
        double[][] m = new double[h][w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(d, (c * h + y) * w, m[y], 0, w);
        }
        return m;
    }

    static BufferedImage rgb(INDArray a) {
        double[] d = Nchw.data(a);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return ImageGrid.image(f, (int) a.size(1), (int) a.size(2), (int) a.size(3), 1.0);
    }

    private static int scaleFor(int size) {
        return Math.max(1, 160 / Math.max(1, size));
    }

    /** Figure 17-6: each of table 17-1's kernels applied (pad 1) to a grey picture, in a 3×3 grid. */
    public static Path kernels(Path image, Path dir, PrintStream out) {
        INDArray x = toArray(picture(image, 64), true);
        ConvGeometry g = Conv.geometry(x, Nd4j.zeros(DataType.DOUBLE, 1, 1, 3, 3), 1, 1, 1, 1);
        ImageGrid grid = new ImageGrid(3, scaleFor(g.inW())).title("Table 17-1 kernels (figure 17-6)");
        for (int k = 0; k < KERNELS.length; k++) {
            INDArray w = Nd4j.create(KERNELS[k], new long[] {1, 1, 3, 3}, DataType.DOUBLE);
            INDArray y = Conv.forward(Impl.IM2COL, x, w, null, g).y();
            grid.add(ImageGrid.grey(map(y, 0)), (k + 1) + " " + KERNEL_NAMES[k]);
        }
        ImageGrid.writePng(ImageGrid.grey(map(x, 0)), dir.resolve("original.png"));
        Path png = grid.write(dir.resolve("kernels.png"));
        out.println("9 kernels on a " + g.inH() + "x" + g.inW() + " picture -> " + png);
        return png;
    }

    /** Figure 17-7: colour picture → conv with a 1×3×3×3 sobel-x kernel → ReLU → 2×2 max pool. */
    public static Path convReluPool(Path image, Path dir, PrintStream out) {
        INDArray x = toArray(picture(image, 64), false);
        double[] sobel = new double[27];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(KERNELS[7], 0, sobel, 9 * c, 9);
        }
        INDArray w = Nd4j.create(sobel, new long[] {1, 3, 3, 3}, DataType.DOUBLE);
        ConvGeometry g = Conv.geometry(x, w, 1, 1, 0, 0);
        INDArray conv = Conv.forward(Impl.IM2COL, x, w, null, g).y();
        INDArray relu = org.nd4j.linalg.ops.transforms.Transforms.relu(conv, true);
        ConvGeometry pg = Pooling.geometry(relu, 2, 2, 2, 2, 0, 0);
        INDArray pool = Pooling.forward(Impl.IM2COL, PoolingType.MAX, relu, pg).y();
        ImageGrid grid = new ImageGrid(4, scaleFor(g.inW())).title("Figure 17-7: conv (sobel-x) -> ReLU -> max pool")
                .add(rgb(x), "original " + g.inH() + "x" + g.inW())
                .add(ImageGrid.grey(map(conv, 0)), "conv " + g.outH() + "x" + g.outW())
                .add(ImageGrid.grey(map(relu, 0)), "relu")
                .add(ImageGrid.grey(map(pool, 0)), "pool " + pg.outH() + "x" + pg.outW());
        Path png = grid.write(dir.resolve("conv-relu-pool.png"));
        out.println("conv " + g + "; pool " + pg + " -> " + png);
        return png;
    }

    /**
     * The result of 17.3.7.
     *
     * @param iterations iterations until loss < 1e-7 (or the iteration limit)
     * @param loss the final loss
     * @param learned the learned 3×3 kernel
     * @param losses the loss before each update, from iteration 0 to {@code iterations}
     */
    public record Learned(int iterations, double loss, double[] learned, double[] losses) {
    }

    /** The book's iteration limit in 17.3.7. */
    static final int BOOK_ITERATIONS = 10000;

    /** The book's target kernel of 17.3.7 (horizontal edge). */
    public static final double[] W_TRUE = {0, -1, 0, 0, 2, 0, 0, -1, 0};

    /**
     * 17.3.7: learn w_true from an 80×80 grey picture x and y = x ⋆ w_true by gradient descent
     * (loss ½·mean((z−y)²), w −= 0.5·dW/m, the book's direct loops), stopping when loss < 1e-7 or after
     * the book's 10000 iterations. The default picture is the generated circle and cross half-blended with
     * seeded uniform noise: the bare drawing is mostly flat black, which makes the problem so badly
     * conditioned that plain gradient descent does not reach 1e-7 in 10000 steps.
     *
     * Writes {@code learn-kernel.png} (x, y, z, w_true, w_result) and {@code learn-kernel-loss.png}.
     *
     * @param image a PNG/JPEG scaled to 80×80 grey, or null for the default picture
     */
    public static Learned learnKernel(Path image, Path dir, PrintStream out, long seed) {
        INDArray x = image != null ? toArray(ImageGrid.resized(picture(image, 80), 80, 80), true) : texturedPicture(seed);
        INDArray wTrue = Nd4j.create(W_TRUE, new long[] {1, 1, 3, 3}, DataType.DOUBLE);
        ConvGeometry g = Conv.geometry(x, wTrue, 1, 1, 0, 0);
        INDArray y = DirectConv.forward(x, wTrue, null, g);
        Random r = new Random(seed);
        double[] w0 = new double[9];
        for (int i = 0; i < 9; i++) {
            w0[i] = 0.1 * r.nextGaussian();
        }
        INDArray w = Nd4j.create(w0, new long[] {1, 1, 3, 3}, DataType.DOUBLE);
        double m = g.outH() * g.outW();
        double loss = Double.NaN;
        double[] losses = new double[BOOK_ITERATIONS + 1];
        int it;
        INDArray z = null;
        for (it = 0; it <= BOOK_ITERATIONS; it++) {
            z = DirectConv.forward(x, w, null, g);
            INDArray t = z.sub(y);
            loss = t.mul(t).sumNumber().doubleValue() / 2 / m;
            losses[it] = loss;
            if (it % 500 == 0) {
                out.printf(Locale.ROOT, "%5d %.6e%n", it, loss);
            }
            if (loss < 1e-7 || it == BOOK_ITERATIONS) {
                break;
            }
            INDArray dw = DirectConv.backward(x, w, t, g).dW();
            w = w.sub(dw.mul(0.5 / m));
        }
        out.printf(Locale.ROOT, "%5d %.6e%n", it, loss);
        out.println(loss < 1e-7 ? "loss < 1e-7 after " + it + " iterations (the book needed 3460 on its photo)"
                : "loss still " + loss + " after " + it + " iterations (the book needed 3460 on its photo)");
        double[] learned = Nchw.data(w);
        out.println("w_true:                 w_result:");
        for (int row = 0; row < 3; row++) {
            out.printf(Locale.ROOT, "  [%3.0f %3.0f %3.0f]    [%10.6f %10.6f %10.6f]%n", W_TRUE[3 * row],
                    W_TRUE[3 * row + 1], W_TRUE[3 * row + 2], learned[3 * row], learned[3 * row + 1],
                    learned[3 * row + 2]);
        }
        double maxErr = 0;
        for (int i = 0; i < 9; i++) {
            maxErr = Math.max(maxErr, Math.abs(learned[i] - W_TRUE[i]));
        }
        out.printf(Locale.ROOT, "max |w_result - w_true| = %.3e%n", maxErr);
        double[][] kTrue = new double[3][3];
        double[][] kLearned = new double[3][3];
        for (int i = 0; i < 9; i++) {
            kTrue[i / 3][i % 3] = W_TRUE[i];
            kLearned[i / 3][i % 3] = learned[i];
        }
        Path png = new ImageGrid(5, 2).title("17.3.7: learning a kernel (figure 17-29)")
                .add(ImageGrid.grey(map(x, 0)), "x")
                .add(ImageGrid.grey(map(y, 0)), "y = x*w_true")
                .add(ImageGrid.grey(map(z, 0)), "z = x*w")
                .add(scaleUp(ImageGrid.grey(kTrue), 26), "w_true")
                .add(scaleUp(ImageGrid.grey(kLearned), 26), "w_result")
                .write(dir.resolve("learn-kernel.png"));
        double[] history = Arrays.copyOf(losses, it + 1);
        Path curve = lossCurve(history, dir.resolve("learn-kernel-loss.png"));
        out.println("-> " + png + ", " + curve);
        return new Learned(it, loss, learned, history);
    }

    /** The loss of 17.3.7 against the iteration on a log scale, with the book's stopping line 1e-7. */
    private static Path lossCurve(double[] losses, Path png) {
        double[] it = new double[losses.length];
        for (int i = 0; i < it.length; i++) {
            it[i] = i;
        }
        XYChart c = new XYChartBuilder().width(560).height(300).title("17.3.7: loss while learning the kernel")
                .xAxisTitle("iteration").yAxisTitle("loss (log scale)").build();
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.addSeries("0.5 mean (z - y)^2", it, losses).setMarker(SeriesMarkers.NONE);
        c.addSeries("stop: 1e-7", new double[] {0, it[it.length - 1]}, new double[] {1e-7, 1e-7})
                .setMarker(SeriesMarkers.NONE).setLineColor(Color.GRAY);
        ImageGrid.writePng(BitmapEncoder.getBufferedImage(c), png);
        return png;
    }

    /** An 80×80 grey picture: the default drawing blended half-and-half with seeded uniform noise. */
    static INDArray texturedPicture(long seed) {
        INDArray x = toArray(defaultPicture(80), true);
        Random r = new Random(seed + 1000);
        double[] d = Nchw.data(x);
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.5 * d[i] + 0.5 * r.nextDouble();
        }
        return Nd4j.create(d, x.shape(), DataType.DOUBLE);
    }

    private static BufferedImage scaleUp(BufferedImage img, int f) {
        BufferedImage out = new BufferedImage(img.getWidth() * f, img.getHeight() * f, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(img, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }

    /**
     * 17.1: the distribution of the sum of two dice as a 1-D convolution h(n) = Σ f(k)·g(n−k), computed
     * by the convolution layer as a cross-correlation with the flipped g over a zero-padded f.
     *
     * @return h(2)..h(12)
     */
    public static double[] dice(Path dir, PrintStream out) {
        double[] f = {1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0};
        INDArray fx = Nd4j.create(f, new long[] {1, 1, 1, 6}, DataType.DOUBLE);
        INDArray gFlipped = Nd4j.create(DirectConv.rot180(f, 1, 1, 6), new long[] {1, 1, 1, 6}, DataType.DOUBLE);
        ConvGeometry geo = Conv.geometry(fx, gFlipped, 1, 1, 0, 5);
        double[] h = Nchw.data(Conv.forward(Impl.DIRECT, fx, gFlipped, null, geo).y());
        out.println("sum  P(sum)");
        for (int n = 0; n < h.length; n++) {
            out.printf(Locale.ROOT, "%3d  %2d/36 = %.4f%n", n + 2, Math.round(h[n] * 36), h[n]);
        }
        out.printf(Locale.ROOT, "h(4) = f(1)g(3) + f(2)g(2) + f(3)g(1) = 3/36 = %.4f%n", h[2]);
        BufferedImage chart = new BufferedImage(11 * 30 + 40, 220, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = chart.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, chart.getWidth(), chart.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int n = 0; n < h.length; n++) {
            int bar = (int) Math.round(h[n] * 36 * 25);
            g.setColor(new Color(70, 110, 200));
            g.fillRect(25 + n * 30, 190 - bar, 22, bar);
            g.setColor(Color.BLACK);
            g.drawString(Integer.toString(n + 2), 29 + n * 30, 205);
            g.drawString(Math.round(h[n] * 36) + "/36", 23 + n * 30, 185 - bar);
        }
        g.drawString("two dice: P(sum) = f * g (17.1)", 25, 15);
        g.dispose();
        Path png = dir.resolve("dice.png");
        ImageGrid.writePng(chart, png);
        out.println("-> " + png);
        return h;
    }
}
