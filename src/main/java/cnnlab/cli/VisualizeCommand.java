package cnnlab.cli;

import cnnlab.UserError;
import cnnlab.data.DataSources;
import cnnlab.training.Report;
import cnnlab.training.SavedModel;
import cnnlab.training.Visualizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cnnlab visualize <model.zip>}: first-layer kernels, the feature maps of one image and, for the
 * colour CNN, figure 18-20 (book 18.1.5, 18.2.4, 18.4.4). See {@link Visualizer}.
 */
@Command(name = "visualize", mixinStandardHelpOptions = true, description = {
    "Draw a CNN's first-layer kernels (kernels.png), the conv/activation/pool outputs of its first two groups "
        + "for one image (features.png) and, for the colour CNN, its 1x1 features (color-1x1.png).",
    "Pictures go to the model's run folder (whose report.html then shows them) or --out."})
final class VisualizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.zip", description = "model zip written by 'cnnlab train'")
    Path model;

    @Option(names = "--sample", paramLabel = "N", description = "which test image to run through the net, from 0 (default 0)")
    Integer sample;

    @Option(names = "--image", paramLabel = "FILE", description = "a picture of your own instead of a test image (PNG, JPEG, ...)")
    Path image;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory for real data sets (default: $CNNLAB_DATA or data/)")
    String dataDir;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: the model's run folder; for other zips a "
            + "folder named after the zip beside it)")
    Path out;

    @Override
    public Integer call() {
        if (image != null && sample != null) {
            throw new UserError("give --sample or --image, not both");
        }
        long start = System.nanoTime();
        Path dir = out != null ? out : defaultOut(model);
        SavedModel m = SavedModel.load(model);
        cnnlab.AtomicFiles.requireWritableFolder(dir, out != null ? "--out" : "output folder");
        Visualizer.Sample s;
        if (image != null) {
            s = Visualizer.imageSample(image, m.meta());
        } else {
            int n = sample == null ? 0 : sample;
            try {
                s = Visualizer.testSample(DataSources.open(m.meta().data(), DataSources.dataDir(dataDir),
                        m.meta().seed()), n);
            } catch (IllegalArgumentException e) {
                throw new UserError("--sample " + n + ": " + e.getMessage(), e);
            }
        }
        long loaded = System.nanoTime();
        Visualizer.Result r;
        try {
            r = Visualizer.write(m.net(), m.meta(), m.pipeline(), s, dir);
        } catch (IllegalArgumentException e) {
            throw new UserError(model + ": " + e.getMessage(), e);
        }
        long drawn = System.nanoTime();
        for (Path p : r.files()) {
            System.out.println("wrote " + p);
        }
        for (String note : r.notes()) {
            System.out.println("note: " + note);
        }
        if (Report.refreshPictures(dir)) {
            System.out.println("updated " + dir.resolve("report.html"));
        }
        System.out.printf(Locale.ROOT, "model and sample loaded in %.2f s, pictures drawn in %.3f s%n",
                (loaded - start) / 1e9, (drawn - loaded) / 1e9);
        return 0;
    }

    /**
     * A run's {@code model.zip} (or {@code model-last.zip}) sits in its run folder, next to
     * {@code result.json}: the pictures go there. Any other zip gets a folder beside it named after it,
     * e.g. {@code models/shape-cnn-visualize/}.
     */
    static Path defaultOut(Path zip) {
        Path folder = zip.getParent() == null ? Path.of(".") : zip.getParent();
        if (Files.exists(folder.resolve("result.json")) || Files.exists(folder.resolve("report.html"))) {
            return folder;
        }
        return folder.resolve(zip.getFileName().toString().replaceFirst("\\.zip$", "") + "-visualize");
    }
}
