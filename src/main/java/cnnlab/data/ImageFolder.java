package cnnlab.data;

import cnnlab.UserError;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Image folders in DataVec's {@code ParentPathLabelGenerator} layout: one sub-folder per class name
 * with PNG files inside. Read with Java's ImageIO (exact RGB, no native loader): pictures of another
 * size are resized (bilinear) to the network's input, and turned grey (0.299 R + 0.587 G + 0.114 B)
 * for one-channel networks.
 */
public final class ImageFolder {
    private ImageFolder() {
    }

    /** A labelled image set read from a folder, with the file of each image. */
    public record Loaded(ImageSet images, List<Path> files) {
    }

    /**
     * Reads {@code dir/<class>/*.png} for the given class names.
     *
     * @throws UserError when the folder is missing or empty, a sub-folder is not a class name, or a file
     *     is not a readable image
     */
    public static Loaded read(Path dir, List<String> classNames, int channels, int height, int width) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("image folder not found: " + dir);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (Stream<Path> subs = Files.list(dir).sorted()) {
            for (Path sub : (Iterable<Path>) subs::iterator) {
                if (!Files.isDirectory(sub)) {
                    continue;
                }
                String name = folderToClass(sub.getFileName().toString(), classNames);
                int label = classNames.indexOf(name);
                if (label < 0) {
                    throw new UserError("sub-folder '" + sub.getFileName() + "' of " + dir
                            + " is not a class of this model; classes: " + String.join(", ", classNames));
                }
                try (Stream<Path> pngs = Files.list(sub).sorted()) {
                    for (Path f : (Iterable<Path>) pngs::iterator) {
                        if (Files.isRegularFile(f)) {
                            files.add(f);
                            labels.add(label);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot read image folder " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new UserError("no images in " + dir + " (expected one sub-folder per class with PNG files)");
        }
        int per = channels * height * width;
        byte[] px = new byte[files.size() * per];
        for (int i = 0; i < files.size(); i++) {
            System.arraycopy(readImage(files.get(i), channels, height, width), 0, px, i * per, per);
        }
        int[] l = labels.stream().mapToInt(Integer::intValue).toArray();
        return new Loaded(new ImageSet(px, l, channels, height, width, classNames), files);
    }

    /** Class names may contain '/', which a folder name cannot: it is written as '_'. */
    static String classToFolder(String className) {
        return className.replace('/', '_');
    }

    private static String folderToClass(String folder, List<String> classNames) {
        for (String c : classNames) {
            if (classToFolder(c).equals(folder)) {
                return c;
            }
        }
        return folder;
    }

    /** One picture file as CHW bytes of the given size. */
    public static byte[] readImage(Path file, int channels, int height, int width) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UserError("cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new UserError(file + " is not an image ImageIO can read (PNG, JPEG, BMP, GIF)");
        }
        if (img.getWidth() != width || img.getHeight() != height) {
            BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scaled.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, width, height, null);
            g.dispose();
            img = scaled;
        }
        byte[] out = new byte[channels * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = img.getRGB(x, y);
                int r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
                if (channels == 1) {
                    out[y * width + x] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                } else if (channels == 3) {
                    out[y * width + x] = (byte) r;
                    out[plane + y * width + x] = (byte) g;
                    out[2 * plane + y * width + x] = (byte) b;
                } else {
                    throw new IllegalArgumentException("pictures have 1 or 3 channels, the model wants " + channels);
                }
            }
        }
        return out;
    }

    /** Writes an image set as {@code dir/<class>/<index>.png}; returns the number of files written. */
    public static int write(ImageSet set, Path dir) {
        try {
            for (String c : set.classNames()) {
                Files.createDirectories(dir.resolve(classToFolder(c)));
            }
            int per = set.imageBytes(), plane = set.height() * set.width();
            for (int i = 0; i < set.size(); i++) {
                BufferedImage img = new BufferedImage(set.width(), set.height(), BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < set.height(); y++) {
                    for (int x = 0; x < set.width(); x++) {
                        int o = i * per + y * set.width() + x;
                        int r = set.pixels()[o] & 0xFF, g = r, b = r;
                        if (set.channels() == 3) {
                            g = set.pixels()[o + plane] & 0xFF;
                            b = set.pixels()[o + 2 * plane] & 0xFF;
                        }
                        img.setRGB(x, y, r << 16 | g << 8 | b);
                    }
                }
                String cls = classToFolder(set.classNames().get(set.labels()[i]));
                cnnlab.ImageGrid.writePng(img, dir.resolve(cls).resolve(String.format(Locale.ROOT, "%05d.png", i)));
            }
        } catch (IOException e) {
            throw new UserError("cannot write images to " + dir + ": " + e.getMessage(), e);
        }
        return set.size();
    }
}
