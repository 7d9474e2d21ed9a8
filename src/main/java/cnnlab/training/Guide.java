package cnnlab.training;

import cnnlab.AtomicFiles;
import cnnlab.ImageGrid;
import cnnlab.UserError;
import cnnlab.data.DataSource;
import cnnlab.data.DataSources;
import cnnlab.data.ImageSet;
import cnnlab.data.InMemorySource;
import cnnlab.layers.Chapter17Demos;
import cnnlab.layers.Chapter17Figures;
import cnnlab.models.Experiments;
import cnnlab.models.NetSummary;
import cnnlab.models.classic.ClassicNet;
import cnnlab.models.classic.ClassicNets;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The pictures of {@code docs/GUIDE.md}, the learner's walk through chapters 17 and 18, drawn by the same
 * code as {@code cnnlab demo}, {@code cnnlab train} (its report and {@link Visualizer} pictures) and
 * {@code cnnlab summary}: chapter 17's demonstrations, the classic networks' sizes (18.0) and three short
 * training runs — the colour CNN (18.1) and the shape CNN (18.2) on generated data, the MNIST CNN (18.4)
 * on a subset of MNIST read through the usual data loading.
 *
 * <p>The real data sets (MNIST, and one CIFAR-10 test photo for figure 17-7) are opened first: when they
 * are missing and cannot be downloaded, the guide stops with that one error before drawing anything.
 * Everything is drawn into a temporary folder and only then moved, file by file and atomically, into the
 * output folder, so an interrupted run leaves the previous pictures whole.
 */
public final class Guide {
    /** Seed of the generated data, the subsets and the training runs. */
    public static final long SEED = 42;

    /** The CIFAR-10 test image used as the photo of figure 17-7 (an automobile). */
    static final int PHOTO_INDEX = 6;

    /** The photo is scaled up from 32×32 so that the 3×3 sobel kernel sees edges, not single pixels. */
    static final int PHOTO_SIZE = 80;

    /**
     * The colour CNN's seed (data and weights, as {@code cnnlab train color-cnn --seed 4}): with seed 42
     * green dies in both 1×1 kernels and the figure would show one black map (docs/RESULTS.md, "What the tables say").
     */
    static final long COLOR_SEED = 4;

    /**
     * How much the training runs see.
     *
     * @param colorEpochs epochs of the colour CNN (generated data, all of it)
     * @param shapeEpochs epochs of the shape CNN (generated data, all of it)
     * @param mnistEpochs epochs of the MNIST CNN
     * @param generatedTrain training images of the generated sets (0: all)
     * @param mnistTrain MNIST training images (a seeded random subset)
     * @param heldOut validation and test images of each set (a seeded random subset; 0: all)
     */
    public record Size(int colorEpochs, int shapeEpochs, int mnistEpochs, int generatedTrain, int mnistTrain,
                       int heldOut) {
    }

    /**
     * What {@code cnnlab guide} draws: the colour CNN with the book's 20 epochs, the shape CNN with 10 of
     * its 50, the MNIST CNN with 2 of its 5 epochs on 12 000 of the 55 000 training images.
     */
    public static final Size FULL = new Size(20, 10, 2, 0, 12_000, 2_000);

    /** {@code --quick}: the same files from one short epoch each (for tests). */
    public static final Size QUICK = new Size(1, 1, 1, 400, 400, 200);

    private Guide() {
    }

    /**
     * Draws every picture of the guide into {@code out}.
     *
     * @return the files written, in the guide's order
     */
    public static List<Path> write(Path out, Path dataDir, Size size, PrintStream log) {
        long t0 = System.nanoTime();
        DataSource mnist = DataSources.open("mnist", dataDir, SEED);
        BufferedImage photo = photo(DataSources.open("cifar-10", dataDir, SEED));
        step("MNIST and the CIFAR-10 photo read", t0, log);
        Path work;
        try {
            Files.createDirectories(out);
            work = Files.createTempDirectory("cnnlab-guide");
        } catch (IOException e) {
            throw new UserError("cannot create " + out + ": " + e.getMessage(), e);
        }
        try {
            Path pics = Files.createDirectories(work.resolve("pictures"));
            List<String> names = new ArrayList<>();
            long t = System.nanoTime();
            chapter17(work, pics, photo, names, log);
            t = step("chapter 17 pictures", t, log);
            names.add(classicNets(pics, log));
            names.add("classic-nets.md");
            t = step("classic networks", t, log);
            List<String> runs = new ArrayList<>();
            runs.add("| experiment (book section) | seed | training images | epochs | test accuracy: last model | "
                    + "best-validation model | book (the model it is compared with) | seconds |");
            runs.add("|---|---|---|---|---|---|---|---|");
            Trainer.Outcome color = train("color-cnn", generated("color", size, COLOR_SEED), COLOR_SEED,
                    size.colorEpochs(), work, log, runs);
            names.add(copy(color.runDir(), Visualizer.COLOR_1X1, pics, "color-cnn-1x1.png"));
            t = step("color-cnn", t, log);
            Trainer.Outcome shapes = train("shape-cnn", generated("shape", size, SEED), SEED, size.shapeEpochs(), work,
                    log, runs);
            names.addAll(runPictures(shapes, pics, List.of("loss.png", "accuracy.png", "confusion.png",
                    Visualizer.KERNELS, Visualizer.FEATURES)));
            t = step("shape-cnn", t, log);
            Trainer.Outcome digits = train("mnist-cnn", subset(mnist, size.mnistTrain(), size.heldOut()), SEED,
                    size.mnistEpochs(), work, log, runs);
            names.addAll(runPictures(digits, pics, List.of("loss.png", "accuracy.png", "confusion.png",
                    Visualizer.KERNELS, Visualizer.FEATURES, "predictions.png")));
            step("mnist-cnn", t, log);
            Files.writeString(pics.resolve("runs.md"), String.join("\n", runs) + "\n");
            names.add("runs.md");
            List<Path> written = new ArrayList<>();
            for (String n : names) {
                Path target = out.resolve(n);
                publish(pics.resolve(n), target);
                written.add(target);
            }
            return written;
        } catch (IOException e) {
            throw new UserError("cannot write the guide's files into " + out + ": " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    private static long step(String what, long since, PrintStream log) {
        long now = System.nanoTime();
        log.printf(Locale.ROOT, "guide: %s, %.1f s%n", what, (now - since) / 1e9);
        return now;
    }

    /** Chapter 17: the dice, table 17-1's kernels, figure 17-7 on a photo, im2col, learning a kernel, pooling. */
    private static void chapter17(Path work, Path pics, BufferedImage photo, List<String> names, PrintStream log)
            throws IOException {
        Path d = Files.createDirectories(work.resolve("chapter17"));
        Chapter17Demos.dice(d, log);
        names.add(copy(d, "dice.png", pics, "dice.png"));
        Chapter17Demos.kernels(null, d, log);
        names.add(copy(d, "kernels.png", pics, "kernels.png"));
        Path photoFile = d.resolve("photo.png");
        ImageGrid.writePng(ImageGrid.resized(photo, PHOTO_SIZE, PHOTO_SIZE), photoFile);
        Chapter17Demos.convReluPool(photoFile, d, log);
        names.add(copy(d, "conv-relu-pool.png", pics, "conv-relu-pool.png"));
        Chapter17Figures.im2col(d, log);
        names.add(copy(d, "im2col.png", pics, "im2col.png"));
        Chapter17Demos.learnKernel(null, d, log, 1);
        names.add(copy(d, "learn-kernel.png", pics, "learn-kernel.png"));
        names.add(copy(d, "learn-kernel-loss.png", pics, "learn-kernel-loss.png"));
        Chapter17Figures.pooling(d, log);
        names.add(copy(d, "pooling.png", pics, "pooling.png"));
    }

    /** CIFAR-10 test image {@link #PHOTO_INDEX} as a picture. */
    static BufferedImage photo(DataSource cifar) {
        ImageSet test = ((InMemorySource) cifar).testSet();
        int n = test.imageBytes();
        float[] chw = new float[n];
        for (int i = 0; i < n; i++) {
            chw[i] = test.pixels()[PHOTO_INDEX * n + i] & 0xFF;
        }
        return ImageGrid.image(chw, test.channels(), test.height(), test.width(), 255);
    }

    /** A generated data set with {@code size}'s training and held-out counts. */
    private static DataSource generated(String name, Size size, long seed) {
        return subset(DataSources.open(name, Path.of("."), seed), size.generatedTrain(), size.heldOut());
    }

    /** Seeded random subsets of the training, validation and test parts (0: the whole part). */
    static InMemorySource subset(DataSource d, int train, int heldOut) {
        InMemorySource s = (InMemorySource) d;
        int t = train > 0 ? train : Integer.MAX_VALUE, h = heldOut > 0 ? heldOut : Integer.MAX_VALUE;
        return new InMemorySource(s.name(), s.trainSet().sample(t, SEED), s.validationSet().sample(h, SEED + 1),
                s.testSet().sample(h, SEED + 2), null);
    }

    /** Copies pictures of a run folder as {@code <experiment>-<picture>}. */
    private static List<String> runPictures(Trainer.Outcome run, Path pics, List<String> files) throws IOException {
        String experiment = run.result().experiment();
        List<String> names = new ArrayList<>();
        for (String f : files) {
            names.add(copy(run.runDir(), f, pics, experiment + "-" + f));
        }
        return names;
    }

    /** Trains {@code experiment} with the book's hyper-parameters on {@code src} and adds a row to {@code runs}. */
    private static Trainer.Outcome train(String experiment, DataSource src, long seed, int epochs, Path work,
                                         PrintStream log, List<String> runs) {
        Trainer.Outcome o = new Trainer(log).run(new Trainer.Options(Experiments.get(experiment)).epochs(epochs)
                .seed(seed).data(src).out(work.resolve("runs")).modelsDir(null));
        TrainResult r = o.result();
        runs.add(String.format(Locale.ROOT, "| %s (%s) | %d | %,d | %d | %.2f%% | %.2f%% | %s | %.0f |", experiment,
                r.section(), seed, src.trainSize(), epochs, 100 * r.testAccuracyLast(), 100 * r.testAccuracyBest(),
                !r.hasBookNumber() ? "-" : String.format(Locale.ROOT, "%.2f%% (%s)", 100 * r.bookAccuracy(),
                        r.comparesBest() ? "best" : "last"),
                TrainResult.round(r.trainSeconds(), 2)));
        return o;
    }

    /**
     * 18.0: the classic networks' learnable parameters and multiply-adds per image as bars
     * ({@code classic-nets.png}) and as a markdown table ({@code classic-nets.md}), from {@link NetSummary}
     * at each network's default input (3×224×224, LeNet-5 1×32×32).
     */
    private static String classicNets(Path pics, PrintStream log) throws IOException {
        List<String> names = ClassicNets.names();
        long[] params = new long[names.size()], macs = new long[names.size()];
        List<String> table = new ArrayList<>(List.of("| net | input | learnable parameters | multiply-adds per image |",
                "|---|---|---|---|"));
        for (int i = 0; i < names.size(); i++) {
            ClassicNet<?> net = ClassicNets.get(names.get(i));
            int[] s = net.inputShape();
            NetSummary sum = NetSummary.of(net.build(), InputType.convolutional(s[1], s[2], s[0]));
            params[i] = sum.learnableParams();
            macs[i] = sum.macs();
            table.add(String.format(Locale.ROOT, "| %s | %dx%dx%d | %,d | %,d |", names.get(i), s[0], s[1], s[2],
                    params[i], macs[i]));
        }
        Files.writeString(pics.resolve("classic-nets.md"), String.join("\n", table) + "\n");
        log.println(String.join("\n", table));
        int rowH = 22, left = 100, bar = 300, gap = 40, top = 44;
        BufferedImage img = new BufferedImage(left + 2 * (bar + 90) + gap, top + names.size() * rowH + 12,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString("18.0: the classic networks (cnnlab summary NET; 3x224x224, LeNet-5 1x32x32)", 8, 16);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("learnable parameters", left, top - 8);
        g.drawString("multiply-adds per image", left + bar + 90 + gap, top - 8);
        long maxP = java.util.Arrays.stream(params).max().orElse(1), maxM = java.util.Arrays.stream(macs).max().orElse(1);
        for (int i = 0; i < names.size(); i++) {
            int y = top + i * rowH;
            g.setColor(Color.BLACK);
            g.drawString(names.get(i), 8, y + 14);
            int wp = (int) Math.max(1, Math.round(bar * (double) params[i] / maxP));
            int wm = (int) Math.max(1, Math.round(bar * (double) macs[i] / maxM));
            g.setColor(new Color(70, 110, 200));
            g.fillRect(left, y + 3, wp, rowH - 6);
            g.setColor(new Color(220, 120, 50));
            g.fillRect(left + bar + 90 + gap, y + 3, wm, rowH - 6);
            g.setColor(Color.BLACK);
            g.drawString(human(params[i]), left + wp + 4, y + 14);
            g.drawString(human(macs[i]), left + bar + 90 + gap + wm + 4, y + 14);
        }
        g.dispose();
        ImageGrid.writePng(img, pics.resolve("classic-nets.png"));
        return "classic-nets.png";
    }

    /** 61.7 k, 62.4 M, 1.14 G. */
    static String human(long v) {
        return v >= 1e9 ? String.format(Locale.ROOT, "%.2f G", v / 1e9)
                : v >= 1e6 ? String.format(Locale.ROOT, "%.1f M", v / 1e6) : String.format(Locale.ROOT, "%.1f k", v / 1e3);
    }

    private static String copy(Path fromDir, String file, Path pics, String as) throws IOException {
        Path src = fromDir.resolve(file);
        if (!Files.isRegularFile(src)) {
            throw new IllegalStateException("expected " + src + " to be drawn");
        }
        Files.copy(src, pics.resolve(as), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return as;
    }

    /** Moves a finished file over its target atomically (through a temporary file beside it). */
    private static void publish(Path file, Path target) throws IOException {
        Path tmp = AtomicFiles.tempFor(target);
        try {
            Files.copy(file, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.publish(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }
}
