package cnnlab.data;

import cnnlab.UserError;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The three real data sets of 18.4-18.6, where their files live under the data directory, where
 * they are downloaded from, and how they are split (book 18.4-18.6).
 *
 * <p>Splits follow the book's code: MNIST and Fashion-MNIST hold out 1/12 of the training set
 * (5000 images) for validation ({@code GenerateValidationSet(k=12)} in the book's
 * {@code Level4_1_MnistConvNet.py} and {@code Level5_FashionMnist_DNN.py}; it is also what makes
 * the printed {@code total_iteration=2133} of 18.4.3 come out). The book's Keras script for
 * CIFAR-10 trains on all 50 000 training images and "validates" on the test set
 * ({@code validation_data=(x_test, y_test)}); the data set itself holds out 1/10 (45 000 / 5 000)
 * so that a "best" model is never chosen on the test set, and an experiment that follows the Keras
 * script joins it back with {@link InMemorySource#validatingOnTest()} ({@code cifar10-cnn}).
 */
public enum RealData {
    MNIST("mnist", Checksums.MNIST, List.of(
            "https://yann.lecun.com/exdb/mnist/",
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/")),
    FASHION_MNIST("fashion-mnist", Checksums.FASHION_MNIST, List.of(
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")),
    CIFAR_10("cifar-10", Checksums.CIFAR_10, List.of(
            "https://www.cs.toronto.edu/~kriz/"));

    /** Validation share of MNIST and Fashion-MNIST: 1/12 of the training set. */
    public static final int VALIDATION_K = 12;

    private static final List<String> IDX = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** Image side of MNIST and Fashion-MNIST. */
    static final int SIDE = 28;

    /** Images (and labels) in an IDX file of MNIST or Fashion-MNIST: 60 000 training, 10 000 test. */
    static int count(String idxName) {
        return idxName.startsWith("train") ? 60_000 : 10_000;
    }

    private final String dataName;
    private final Map<String, String> checksums;
    private final List<String> mirrors;

    RealData(String dataName, Map<String, String> checksums, List<String> mirrors) {
        this.dataName = dataName;
        this.checksums = checksums;
        this.mirrors = mirrors;
    }

    public String dataName() {
        return dataName;
    }

    /** The official download locations, official first. */
    public List<String> mirrors() {
        return mirrors;
    }

    public static RealData forDataName(String name) {
        for (RealData d : values()) {
            if (d.dataName.equals(name)) {
                return d;
            }
        }
        throw new UserError("unknown real data set '" + name + "'; known: mnist, fashion-mnist, cifar-10");
    }

    /** This set's folder under the data directory ({@code mnist/}, {@code fashion-mnist/}, {@code cifar-10/}). */
    public Path folder(Path dataDir) {
        return dataDir.resolve(dataName);
    }

    /** The archive files that make up this set, as downloaded. */
    public List<String> archives() {
        if (this == CIFAR_10) {
            return List.of(CifarBinary.ARCHIVE);
        }
        return IDX.stream().map(f -> f + ".gz").toList();
    }

    /** Archives missing from {@code dataDir} (none for CIFAR-10 when the extracted folder is complete). */
    public List<String> missing(Path dataDir) {
        Path dir = folder(dataDir);
        if (this == CIFAR_10 && CifarBinary.hasExtracted(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String f : archives()) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Downloads the missing archives (all of them when {@code all}) from {@code mirrors}, each one
     * verified before it is put in place.
     *
     * @throws IOException when some file could not be downloaded from any mirror
     */
    public void fetch(Path dataDir, boolean all, List<String> mirrors, PrintStream progress) throws IOException {
        Downloader dl = new Downloader(progress);
        Path dir = folder(dataDir);
        for (String f : all ? archives() : missing(dataDir)) {
            List<URI> urls = mirrors.stream().map(m -> URI.create(m.endsWith("/") ? m + f : m + "/" + f)).toList();
            dl.fetch(urls, dir.resolve(f), this::verify);
        }
    }

    /** Checks one downloaded archive's content (throws {@link UserError} naming the file). */
    void verify(Path archive) {
        if (this == CIFAR_10) {
            CifarBinary.readArchive(archive, (name, batch) -> { });
            return;
        }
        String name = archive.getFileName().toString();
        String base = IDX.stream().filter(name::startsWith).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a file of " + dataName + ": " + name));
        if (base.contains("images")) {
            Idx.images(archive, checksums.get(base), count(base), SIDE);
        } else {
            Idx.labels(archive, checksums.get(base), count(base));
        }
    }

    /** Opens the set from {@code dataDir}, downloading missing files from the official locations. */
    public InMemorySource open(Path dataDir, long seed) {
        return open(dataDir, seed, mirrors, System.err);
    }

    /**
     * Opens the set, first downloading missing files from {@code mirrors}; without network a
     * {@link UserError} names the missing files and the folder to put them in.
     */
    public InMemorySource open(Path dataDir, long seed, List<String> mirrors, PrintStream progress) {
        requireReadableFolder(dataDir, "data folder " + dataDir + " (--data-dir or CNNLAB_DATA)");
        requireReadableFolder(folder(dataDir), dataName + " folder " + folder(dataDir));
        List<String> missing = missing(dataDir);
        if (!missing.isEmpty()) {
            if (progress != null) {
                progress.println(dataName + ": " + String.join(", ", missing) + " missing in " + folder(dataDir)
                        + "; downloading");
            }
            try {
                fetch(dataDir, false, mirrors, progress);
            } catch (IOException e) {
                throw new UserError(dataName + ": missing " + String.join(", ", missing) + " in "
                        + folder(dataDir).toAbsolutePath() + " and the download failed, no network? (" + e.getMessage()
                        + "). Download " + (missing.size() == 1 ? "it" : "them") + " from " + mirrors.get(0)
                        + " into that folder, or point --data-dir or CNNLAB_DATA at a folder that has " + dataName
                        + "/.");
            }
        }
        return load(dataDir, seed);
    }

    /** A folder that, when it exists, must be a readable folder (a file or an unreadable one is named as such). */
    private static void requireReadableFolder(Path dir, String what) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new UserError(what + " is a file, not a folder");
        }
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            throw new UserError(what + " is not readable (permission denied)");
        }
    }

    /** Reads and verifies the files (no download). */
    InMemorySource load(Path dataDir, long seed) {
        List<String> classes = DataSources.info(dataName).classNames();
        Path dir = folder(dataDir);
        if (this == CIFAR_10) {
            ImageSet[] sets = CifarBinary.read(dir, classes);
            ImageSet[] split = sets[0].splitValidation(10, seed);
            return new InMemorySource(dataName, split[0], split[1], sets[1], new ShiftFlip(0.1, 0.1, true));
        }
        ImageSet train = idxSet(dir, "train", classes);
        ImageSet test = idxSet(dir, "t10k", classes);
        ImageSet[] split = train.splitValidation(VALIDATION_K, seed);
        return new InMemorySource(dataName, split[0], split[1], test, null);
    }

    private ImageSet idxSet(Path dir, String part, List<String> classes) {
        String imgName = part + "-images-idx3-ubyte", lblName = part + "-labels-idx1-ubyte";
        Path imgFile = dir.resolve(imgName + ".gz");
        Idx.Images img = Idx.images(imgFile, checksums.get(imgName), count(imgName), SIDE);
        int[] labels = Idx.labels(dir.resolve(lblName + ".gz"), checksums.get(lblName), count(lblName));
        if (labels.length != img.count()) {
            throw new UserError(dir.resolve(lblName + ".gz") + ": " + labels.length + " labels for " + img.count()
                    + " images in " + imgFile);
        }
        if (img.rows() != 28 || img.cols() != 28) {
            throw new UserError(imgFile + ": images are " + img.rows() + "x" + img.cols() + ", expected 28x28");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes.size()) {
                throw new UserError(dir.resolve(lblName + ".gz") + ": label " + labels[i] + " at " + i
                        + " outside 0.." + (classes.size() - 1));
            }
        }
        return new ImageSet(img.pixels(), labels, 1, img.rows(), img.cols(), classes);
    }
}
