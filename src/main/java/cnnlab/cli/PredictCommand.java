package cnnlab.cli;

import cnnlab.data.ImageFolder;
import cnnlab.training.SavedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnnlab predict <model.zip> <png>...}: the most likely classes of each picture. */
@Command(name = "predict", description = "Classify pictures with a saved model (top classes with probabilities).")
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "model zip written by 'cnnlab train'")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", description = "picture files (PNG, JPEG, ...)")
    List<Path> pictures;

    @Option(names = "--top", defaultValue = "3", description = "how many classes to show (default 3)")
    int top;

    @Override
    public Integer call() {
        if (top <= 0) {
            throw new cnnlab.UserError("--top must be positive, got " + top);
        }
        SavedModel m = SavedModel.load(model);
        var meta = m.meta();
        java.util.Map<Path, byte[]> images = new java.util.LinkedHashMap<>();
        for (Path p : pictures) { // every picture is read before any result is printed
            if (java.nio.file.Files.isDirectory(p)) {
                throw new cnnlab.UserError(p + " is a folder, not a picture (for a folder of class folders use "
                        + "'cnnlab eval MODEL --images DIR')");
            }
            images.put(p, ImageFolder.readImage(p, meta.channels(), meta.height(), meta.width()));
        }
        System.err.println("backend: " + cnnlab.training.Backend.describe());
        for (Path p : pictures) {
            byte[] chw = images.get(p);
            float[] f = new float[chw.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = chw[i] & 0xFF;
            }
            INDArray raw = Nd4j.create(f, new long[] {1, meta.channels(), meta.height(), meta.width()}, 'c');
            double[] probs = m.net().output(m.pipeline().features(raw)).toDoubleVector();
            Integer[] order = new Integer[probs.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
            StringBuilder sb = new StringBuilder(p + ": " + meta.classNames().get(order[0]));
            for (int k = 0; k < Math.min(top, order.length); k++) {
                sb.append(k == 0 ? "  (" : ", ").append(String.format("%s %.1f%%", meta.classNames().get(order[k]),
                        100 * probs[order[k]]));
            }
            System.out.println(sb.append(')'));
        }
        return 0;
    }
}
