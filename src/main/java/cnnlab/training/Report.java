package cnnlab.training;

import cnnlab.AtomicFiles;
import cnnlab.ImageGrid;
import cnnlab.data.DataSource;
import cnnlab.models.Experiment;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.evaluation.classification.ConfusionMatrix;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Writes what a run leaves in its folder: {@code metrics.csv}, {@code loss.png},
 * {@code accuracy.png}, {@code confusion.png}, {@code predictions.png} (wrong ones marked
 * {@code *}), {@code result.json} and a one-page {@code report.html} showing them.
 */
public final class Report {
    /** Pictures shown in the report (besides the curves), added by other tools such as visualize. */
    public static final List<String> EXTRA_PICTURES = List.of("kernels.png", "features.png", "color-1x1.png");

    /** Headings of the extra pictures (others are headed by their file name). */
    private static final Map<String, String> EXTRA_HEADINGS = Map.of(
            "kernels.png", "First-layer kernels (18.2.4, 18.4.4)",
            "features.png", "Feature maps of one image (18.4.4)",
            "color-1x1.png", "1x1 colour features (18.1.5, figure 18-20)");

    /** Marks around the extra pictures in {@code report.html}, so that {@link #refreshPictures} can replace them. */
    private static final String EXTRA_START = "<!-- extra-pictures -->";
    private static final String EXTRA_END = "<!-- /extra-pictures -->";

    private Report() {
    }

    public static void write(Path dir, Experiment e, TrainResult result, History history,
                             Evaluator.Result test, Net net, DataSource src, Pipeline pipeline) {
        history.writeCsv(dir.resolve("metrics.csv"));
        curves(history, dir);
        confusion(test.evaluation().getConfusionMatrix(), src.classNames(), dir.resolve("confusion.png"));
        predictionGrid(net, src, pipeline, 64, dir.resolve("predictions.png"));
        Json.write(result.toJson(), dir.resolve("result.json"));
        html(dir, e, result, test);
    }

    /** {@code loss.png} and {@code accuracy.png}: train and validation curves against iterations. */
    public static void curves(History h, Path dir) {
        List<Double> it = new ArrayList<>(), tl = new ArrayList<>(), vl = new ArrayList<>(), ta = new ArrayList<>(),
                va = new ArrayList<>();
        for (History.Check c : h.checks()) {
            it.add((double) c.iteration());
            tl.add(c.trainLoss());
            vl.add(c.valLoss());
            ta.add(c.trainAccuracy());
            va.add(c.valAccuracy());
        }
        chart("Loss", "loss", it, tl, vl, dir.resolve("loss.png"));
        chart("Accuracy", "accuracy", it, ta, va, dir.resolve("accuracy.png"));
    }

    private static void chart(String title, String yLabel, List<Double> x, List<Double> train, List<Double> val,
                              Path png) {
        XYChart c = new XYChartBuilder().width(640).height(400).title(title).xAxisTitle("iteration")
                .yAxisTitle(yLabel).build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        if (x.isEmpty()) {
            x = List.of(0.0);
            train = List.of(0.0);
            val = List.of(0.0);
        }
        c.addSeries("train", x, train).setMarker(SeriesMarkers.NONE);
        c.addSeries("validation", x, val).setMarker(SeriesMarkers.NONE);
        ImageGrid.writePng(BitmapEncoder.getBufferedImage(c), png);
    }

    /** The confusion matrix as a heat map with counts (rows: true class, columns: predicted). */
    public static void confusion(ConfusionMatrix<Integer> cm, List<String> names, Path png) {
        int k = names.size(), cell = k > 10 ? 28 : 40, left = 110, top = 40;
        int max = 1;
        for (int a = 0; a < k; a++) {
            for (int p = 0; p < k; p++) {
                max = Math.max(max, cm.getCount(a, p));
            }
        }
        BufferedImage img = new BufferedImage(left + k * cell + 10, top + k * cell + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.setColor(Color.BLACK);
        g.drawString("rows: true class, columns: predicted", left, 14);
        for (int a = 0; a < k; a++) {
            g.setColor(Color.BLACK);
            g.drawString(shorten(names.get(a)), 4, top + a * cell + cell / 2 + 4);
            g.drawString(String.valueOf(a), left + a * cell + cell / 2 - 3, top - 6);
            for (int p = 0; p < k; p++) {
                int n = cm.getCount(a, p);
                float t = (float) n / max;
                g.setColor(a == p ? new Color(1 - 0.8f * t, 1 - 0.4f * t, 1 - 0.8f * t)
                        : new Color(1f, 1 - 0.8f * t, 1 - 0.8f * t));
                g.fillRect(left + p * cell, top + a * cell, cell, cell);
                g.setColor(Color.GRAY);
                g.drawRect(left + p * cell, top + a * cell, cell, cell);
                g.setColor(Color.BLACK);
                String s = String.valueOf(n);
                g.drawString(s, left + p * cell + cell / 2 - 3 * s.length(), top + a * cell + cell / 2 + 4);
            }
        }
        g.dispose();
        ImageGrid.writePng(img, png);
    }

    private static String shorten(String s) {
        return s.length() > 16 ? s.substring(0, 15) + "." : s;
    }

    /** The first {@code n} test images captioned with the predicted class; wrong ones get a {@code *}. */
    public static void predictionGrid(Net net, DataSource src, Pipeline pipeline, int n, Path png) {
        DataSet raw = spreadSample(src.test(256), n);
        INDArray probs = net.output(pipeline.features(raw.getFeatures()));
        int[] pred = probs.argMax(1).toIntVector(), truth = raw.getLabels().argMax(1).toIntVector();
        ImageGrid grid = new ImageGrid(8, src.width() <= 32 ? 3 : 1).title("test predictions (* and red frame = wrong)");
        for (int i = 0; i < pred.length; i++) {
            float[] chw = raw.getFeatures().slice(i).dup().data().asFloat();
            boolean wrong = pred[i] != truth[i];
            String caption = shorten(src.classNames().get(pred[i])) + (wrong ? "*" : "");
            grid.add(ImageGrid.image(chw, src.channels(), src.height(), src.width(), 255), caption, wrong);
        }
        grid.write(png);
    }

    /** {@code n} examples spread evenly over a data set (test sets are often ordered by class). */
    static DataSet spreadSample(org.nd4j.linalg.dataset.api.iterator.DataSetIterator it, int n) {
        List<DataSet> all = new ArrayList<>();
        while (it.hasNext()) {
            all.addAll(it.next().asList());
        }
        List<DataSet> picked = new ArrayList<>();
        int m = Math.min(n, all.size());
        for (int k = 0; k < m; k++) {
            picked.add(all.get((int) ((long) k * all.size() / m)));
        }
        return DataSet.merge(picked);
    }

    private static void html(Path dir, Experiment e, TrainResult r, Evaluator.Result test) {
        StringBuilder s = new StringBuilder();
        s.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>cnnlab ").append(e.name())
                .append("</title><style>body{font-family:sans-serif;max-width:1000px;margin:1em auto}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}")
                .append("img{max-width:100%}</style></head><body>");
        s.append("<h1>").append(e.name()).append(" &mdash; book section ").append(e.section()).append("</h1>");
        s.append("<p>").append(esc(e.description())).append("</p><p><b>").append(esc(r.verdict()))
                .append("</b></p><table>");
        for (Map.Entry<String, Object> en : r.toJson().entrySet()) {
            s.append("<tr><th>").append(esc(en.getKey())).append("</th><td>").append(esc(String.valueOf(en.getValue())))
                    .append("</td></tr>");
        }
        s.append("</table><h2>Training curves</h2><img src=\"loss.png\"> <img src=\"accuracy.png\">");
        s.append("<h2>Confusion matrix (test, best parameters)</h2><img src=\"confusion.png\">");
        s.append("<h2>Test predictions</h2><img src=\"predictions.png\">");
        s.append(extraPictures(dir));
        s.append("<h2>Per-class statistics</h2><pre>").append(esc(test.evaluation().stats(false, false)))
                .append("</pre><p>Files: <a href=\"metrics.csv\">metrics.csv</a>, <a href=\"result.json\">result.json</a>, ")
                .append("<a href=\"model.zip\">model.zip</a> (best), <a href=\"model-last.zip\">model-last.zip</a>.</p>")
                .append("</body></html>\n");
        AtomicFiles.writeString(dir.resolve("report.html"), s.toString());
    }

    /** The HTML of the {@link #EXTRA_PICTURES} present in {@code dir}, between the two marks. */
    private static String extraPictures(Path dir) {
        StringBuilder s = new StringBuilder(EXTRA_START);
        for (String extra : EXTRA_PICTURES) {
            if (Files.exists(dir.resolve(extra))) {
                s.append("<h2>").append(EXTRA_HEADINGS.getOrDefault(extra, extra.replace(".png", "")))
                        .append("</h2><img src=\"").append(extra).append("\">");
            }
        }
        return s.append(EXTRA_END).toString();
    }

    /**
     * Makes an existing {@code dir/report.html} show the {@link #EXTRA_PICTURES} now in {@code dir} (for tools
     * such as visualize that add pictures after the run). The rest of the report is kept as it is.
     *
     * @return false when {@code dir} holds no {@code report.html}
     */
    public static boolean refreshPictures(Path dir) {
        Path file = dir.resolve("report.html");
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            String html = Files.readString(file);
            int a = html.indexOf(EXTRA_START), b = html.indexOf(EXTRA_END);
            String updated;
            if (a >= 0 && b > a) {
                updated = html.substring(0, a) + extraPictures(dir) + html.substring(b + EXTRA_END.length());
            } else {
                int at = html.indexOf("<h2>Per-class statistics</h2>");
                if (at < 0) {
                    at = html.lastIndexOf("</body>");
                }
                if (at < 0) {
                    at = html.length();
                }
                updated = html.substring(0, at) + extraPictures(dir) + html.substring(at);
            }
            AtomicFiles.writeString(file, updated);
            return true;
        } catch (IOException e) {
            throw new cnnlab.UserError("cannot update " + file + ": " + AtomicFiles.reason(e), e);
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
