package cnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.InputView;
import cnnlab.data.ShapeTask;
import cnnlab.models.LayerChoice;
import cnnlab.models.NetSpec;
import cnnlab.models.ShapeCnn;
import cnnlab.training.ModelMeta;
import cnnlab.training.Net;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;

/**
 * The general rule for bad input: every row of {@link #cases} runs the CLI (in process, stdout
 * and stderr captured) and must exit with code 2, print exactly one line on stderr that names the
 * problem, print no stack trace, leave no run folder behind, and leave a previously saved model
 * byte-identical.
 */
class BadInputTest {
    @TempDir
    static Path tmp;

    static Path good;
    static byte[] goodBytes;
    static Path models;
    static byte[] modelsBytes;
    static Path runs;
    static ServerSocket busy;

    @BeforeAll
    static void fixtures() throws Exception {
        NetSpec spec = new NetSpec(1, 28, 28, 5, 0.1, 7, LayerChoice.DL4J);
        good = tmp.resolve("good.zip");
        Net.build(ShapeCnn.conf(spec)).save(good, new ImagePreProcessingScaler(0, 1), meta("shape", 1, ShapeTask.SHAPE
                .classNames()));
        goodBytes = Files.readAllBytes(good);
        models = Files.createDirectories(tmp.resolve("models"));
        Files.copy(good, models.resolve("shape-cnn.zip"));
        modelsBytes = Files.readAllBytes(models.resolve("shape-cnn.zip"));
        runs = tmp.resolve("runs");
        busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));

        Files.writeString(tmp.resolve("text.txt"), "hello\n");
        Files.writeString(tmp.resolve("a-file"), "not a folder");
        byte[] random = new byte[5000];
        new java.util.Random(1).nextBytes(random);
        Files.write(tmp.resolve("random.bin"), random);
        byte[] flipped = goodBytes.clone();
        flipped[flipped.length / 2] ^= 0x10;
        Files.write(tmp.resolve("flipped.zip"), flipped);
        Files.write(tmp.resolve("truncated.zip"), java.util.Arrays.copyOf(goodBytes, goodBytes.length / 2));
        rewrite("no-normalizer.zip", Map.of("normalizer.bin", b -> null));
        rewrite("meta-3-channels.zip", Map.of(ModelMeta.ENTRY, b -> replace(b, "\"channels\" : 1", "\"channels\" : 3")));
        rewrite("meta-not-json.zip", Map.of(ModelMeta.ENTRY, b -> "{not json".getBytes(StandardCharsets.UTF_8)));
        rewrite("meta-colour.zip", Map.of(ModelMeta.ENTRY, b -> meta("color", 3, ShapeTask.COLOR.classNames())
                .getBytes(StandardCharsets.UTF_8)));
        rewrite("meta-mnist.zip", Map.of(ModelMeta.ENTRY, b -> meta("mnist", 1,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")).getBytes(StandardCharsets.UTF_8)));

        npy("x.npy", new long[] {1, 1, 5, 5}, 0);
        npy("w.npy", new long[] {2, 1, 3, 3}, 0);
        npy("b3.npy", new long[] {3}, 0);
        npy("empty.npy", new long[] {0, 1, 5, 5}, 0);
        npy("truncated.npy", new long[] {1, 1, 5, 5}, -40);
        npy("longer.npy", new long[] {1, 1, 5, 5}, 16);

        // MNIST files whose headers lie: an absurd count, and a right count over too few bytes
        idx("absurd/mnist/train-images-idx3-ubyte.gz", new int[] {0x803, 2_000_000_000, 28, 28}, 0);
        idx("short/mnist/train-images-idx3-ubyte.gz", new int[] {0x803, 60_000, 28, 28}, 100);
        for (String set : List.of("absurd", "short")) {
            idx(set + "/mnist/train-labels-idx1-ubyte.gz", new int[] {0x801, 60_000}, 60_000);
            idx(set + "/mnist/t10k-images-idx3-ubyte.gz", new int[] {0x803, 10_000, 28, 28}, 0);
            idx(set + "/mnist/t10k-labels-idx1-ubyte.gz", new int[] {0x801, 10_000}, 10_000);
        }
        // a CIFAR-10 archive without any of its six batches
        Path cifar = Files.createDirectories(tmp.resolve("cifar/cifar-10")).resolve("cifar-10-binary.tar.gz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(cifar)))) {
            byte[] meta = "airplane\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("cifar-10-batches-bin/batches.meta.txt");
            e.setSize(meta.length);
            tar.putArchiveEntry(e);
            tar.write(meta);
            tar.closeArchiveEntry();
        }
        // a run folder killed before its first checkpoint: options.json only
        Path killed = Files.createDirectories(tmp.resolve("killed/shape-cnn/20260101-000000"));
        Files.writeString(killed.resolve("options.json"), "{\"experiment\":\"shape-cnn\",\"epochs\":2,\"batch\":16,"
                + "\"learning_rate\":0.1,\"seed\":42,\"data_dir\":\"data\",\"models_dir\":null,\"layers\":\"dl4j\","
                + "\"init\":\"book\",\"train_limit\":0,\"patience\":0,\"checkpoint_minutes\":10.0}\n");
        Path damaged = Files.createDirectories(tmp.resolve("killed/shape-cnn/20260101-000001"));
        Files.writeString(damaged.resolve("options.json"), "{\"experiment\":\"shape-cnn\"}\n");
        Files.writeString(damaged.resolve("checkpoint.zip"), "not a zip");
    }

    @AfterAll
    static void close() throws IOException {
        busy.close();
    }

    static String meta(String data, int channels, List<String> classes) {
        return new ModelMeta("shape-cnn", data, InputView.IMAGE, channels, 28, 28, classes, "dl4j", 7).toJson();
    }

    static byte[] replace(byte[] b, String from, String to) {
        String s = new String(b, StandardCharsets.UTF_8);
        assertTrue(s.contains(from), s);
        return s.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    /** A copy of the good model with some entries changed (a function returning null drops the entry). */
    static void rewrite(String name, Map<String, UnaryOperator<byte[]>> change) throws IOException {
        try (ZipFile in = new ZipFile(good.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp.resolve(name)))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] b = in.getInputStream(e).readAllBytes();
                b = change.getOrDefault(e.getName(), UnaryOperator.identity()).apply(b);
                if (b != null) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    out.write(b);
                    out.closeEntry();
                }
            }
        }
    }

    /** A float64 .npy of {@code shape} with {@code extra} bytes more (or fewer) than the shape needs. */
    static void npy(String name, long[] shape, int extra) throws IOException {
        StringBuilder dims = new StringBuilder();
        long n = 1;
        for (long d : shape) {
            dims.append(d).append(", ");
            n *= d;
        }
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims.toString().replaceAll(", $",
                shape.length == 1 ? "," : "") + "), }";
        header += " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate((int) (10 + header.length() + Math.max(0, 8 * n + extra)))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            b.put((byte) 0x3f);
        }
        Files.write(tmp.resolve(name), b.array());
    }

    /** A gzip IDX file: the header ints, then {@code body} zero bytes. */
    static void idx(String name, int[] header, int body) throws IOException {
        Path f = tmp.resolve(name);
        Files.createDirectories(f.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            ByteBuffer b = ByteBuffer.allocate(4 * header.length + body);
            for (int h : header) {
                b.putInt(h);
            }
            out.write(b.array());
        }
    }

    /** One bad input: the arguments and what the one line on stderr must contain. */
    record Case(String expected, String... args) {
    }

    static List<Case> cases() {
        String t = tmp.toString();
        String g = good.toString();
        String file = t + "/a-file";
        // --epochs 1 --train-limit 64: should a check ever let a case through, it trains for seconds, not minutes
        String[] train = {"--out", runs.toString(), "--models", models.toString(), "--epochs", "1", "--train-limit", "64"};
        List<Case> c = new ArrayList<>();
        // model zips that are not whole, not cnnlab's, or whose parts disagree (eval, predict, visualize)
        for (String cmd : List.of("eval", "predict", "visualize")) {
            c.add(modelCase(cmd, "is not a DL4J model (not a zip file)", t + "/text.txt"));
            c.add(modelCase(cmd, "is not a DL4J model (not a zip file)", t + "/random.bin"));
            c.add(modelCase(cmd, "is a damaged zip file", t + "/flipped.zip"));
            c.add(modelCase(cmd, "is a damaged zip file", t + "/truncated.zip"));
            c.add(modelCase(cmd, "has no normalizer.bin", t + "/no-normalizer.zip"));
            c.add(modelCase(cmd, "cnnlab-meta.json describes 3x28x28 images of 5 classes, but shape has 1x28x28",
                    t + "/meta-3-channels.zip"));
            c.add(modelCase(cmd, "cnnlab-meta.json is not valid", t + "/meta-not-json.zip"));
            c.add(modelCase(cmd, "the network does not take the input its cnnlab-meta.json describes", t + "/meta-colour.zip"));
            c.add(modelCase(cmd, "the network has 5 outputs but its cnnlab-meta.json names 10 classes", t + "/meta-mnist.zip"));
            c.add(modelCase(cmd, "model file not found", t + "/missing.zip"));
        }
        c.add(new Case("--top must be positive, got 0", "predict", g, "--top", "0", t + "/text.txt"));
        c.add(new Case("--top must be positive, got -2", "predict", g, "--top", "-2", t + "/text.txt"));
        c.add(new Case("is not an image", "predict", g, t + "/text.txt"));
        c.add(new Case("--out " + file + "/v: " + file + " is a file, not a folder", "visualize", g, "--out", file + "/v"));
        // results
        c.add(new Case("--out " + t + "/no-runs: no such folder", "results", "--out", t + "/no-runs"));
        c.add(new Case("is a file, not a folder of runs", "results", "--out", file));
        c.add(new Case("--markdown " + t + "/text.txt: has no lines <!-- cnnlab results: begin -->", "results", "--out", t,
                "--markdown", t + "/text.txt"));
        c.add(new Case("--markdown " + t + " is a folder, not a markdown file", "results", "--out", t, "--markdown", t));
        // layers apply: header against size, empty arrays, bias length, output folder
        String[] conv = {"layers", "apply", "--op", "conv", "--w", t + "/w.npy", "--out", t + "/layer-out", "--x"};
        c.add(new Case("b3.npy has 3 values but --w " + t + "/w.npy has 2 filters", cat(conv, t + "/x.npy", "--b",
                t + "/b3.npy")));
        c.add(new Case("empty.npy holds an empty array (shape (0, 1, 5, 5))", cat(conv, t + "/empty.npy")));
        c.add(new Case("truncated.npy: its header announces shape (1, 1, 5, 5) of float64, 200 bytes, but 160 bytes "
                + "follow (truncated)", cat(conv, t + "/truncated.npy")));
        c.add(new Case("longer.npy: its header announces shape (1, 1, 5, 5) of float64, 200 bytes, but 216 bytes follow",
                cat(conv, t + "/longer.npy")));
        c.add(new Case("is not a .npy file", cat(conv, t + "/text.txt")));
        c.add(new Case("--out " + file + "/o: " + file + " is a file, not a folder", "layers", "apply", "--op", "maxpool",
                "--kernel", "2x2", "--x", t + "/x.npy", "--out", file + "/o"));
        // train: everything checked before training starts
        c.add(new Case("--out " + file + "/runs: " + file + " is a file, not a folder", "train", "shape-cnn", "--out",
                file + "/runs", "--models", models.toString(), "--epochs", "1"));
        c.add(new Case("--models " + file + "/m: " + file + " is a file, not a folder", "train", "shape-cnn", "--out",
                runs.toString(), "--models", file + "/m", "--epochs", "1"));
        c.add(new Case("--stats " + t + "/text.txt: not a training-statistics file", cat(new String[] {"train",
            "shape-cnn", "--stats", t + "/text.txt"}, train)));
        c.add(new Case("--stats " + t + "/good.zip: not a training-statistics file", cat(new String[] {"train",
            "shape-cnn", "--stats", g}, train)));
        c.add(new Case("--stats " + file + "/s.bin: " + file + " is a file, not a folder", cat(new String[] {"train",
            "shape-cnn", "--stats", file + "/s.bin"}, train)));
        c.add(new Case("--ui-port " + busy.getLocalPort() + ": 127.0.0.1:" + busy.getLocalPort() + " is in use",
                cat(new String[] {"train", "shape-cnn", "--ui", "--ui-port", String.valueOf(busy.getLocalPort())}, train)));
        c.add(new Case("--ui-port 70000: not a port number", cat(new String[] {"train", "shape-cnn", "--ui", "--ui-port",
            "70000"}, train)));
        c.add(new Case("data folder " + file + " (--data-dir or CNNLAB_DATA) is a file, not a folder",
                cat(new String[] {"train", "mnist-cnn", "--data-dir", file}, train)));
        c.add(new Case("train-images-idx3-ubyte.gz: its IDX header announces 2000000000 images of 28x28, expected 60000",
                cat(new String[] {"train", "mnist-cnn", "--data-dir", t + "/absurd"}, train)));
        c.add(new Case("train-images-idx3-ubyte.gz: its IDX header announces 60000 images of 28x28 (47040016 bytes) but "
                + "the file holds 116 bytes", cat(new String[] {"train", "mnist-cnn", "--data-dir", t + "/short"}, train)));
        c.add(new Case("has no cifar-10-batches-bin/data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, "
                + "data_batch_4.bin, data_batch_5.bin, test_batch.bin",
                cat(new String[] {"train", "cifar10-cnn", "--data-dir", t + "/cifar"}, train)));
        // resume
        String killed = t + "/killed/shape-cnn/20260101-000000";
        c.add(new Case("--epochs, --lr, --out cannot be changed", "train", "shape-cnn", "--resume", killed, "--epochs",
                "3", "--lr", "0.1", "--out", t + "/elsewhere"));
        c.add(new Case("--models cannot be changed", "train", "--resume", killed, "--models", models.toString()));
        c.add(new Case("is a run of shape-cnn, not of mnist-cnn", "train", "mnist-cnn", "--resume", killed));
        c.add(new Case("the run stopped before its first checkpoint (written after each epoch and every "
                + "--checkpoint-minutes); start it again with 'cnnlab train shape-cnn'", "train", "--resume", killed));
        c.add(new Case("options.json is damaged", "train", "--resume", t + "/killed/shape-cnn/20260101-000001"));
        c.add(new Case("is not a cnnlab run folder", "train", "--resume", t));
        // ui: only statistics files
        for (String f : List.of(t + "/text.txt", g, t + "/random.bin")) {
            c.add(new Case("statistics file " + f + ": not a training-statistics file", "ui", f, "--port", "0"));
        }
        c.add(new Case("statistics file not found", "ui", t + "/missing.bin"));
        // demo: a bad picture leaves no run folder
        c.add(new Case("is not an image", "demo", "kernels", "--image", t + "/text.txt", "--out", runs.toString()));
        return c;
    }

    static Case modelCase(String cmd, String expected, String zip) {
        String t = tmp.toString();
        return switch (cmd) {
            case "predict" -> new Case(expected, "predict", zip, t + "/x.png");
            case "visualize" -> new Case(expected, "visualize", zip, "--out", t + "/visualize-out");
            default -> new Case(expected, "eval", zip);
        };
    }

    static String[] cat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputGivesOneLineAndExitCode2() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(String.join(" ", c.args()).replace(tmp.toString(), "T"),
                () -> {
                    Object[] r = CliErrorsTest.run(c.args());
                    String err = (String) r[2];
                    String cmd = String.join(" ", c.args());
                    assertEquals(2, r[0], "exit code of " + cmd + "; stderr: " + err);
                    assertFalse(err.contains("\tat ") || err.contains("Caused by") || err.contains("Exception: "),
                            "no stack trace: " + err);
                    assertEquals(1, err.strip().lines().count(), "exactly one line on stderr: " + err);
                    assertTrue(err.startsWith("cnnlab: ") && err.contains(c.expected()),
                            "names the problem '" + c.expected() + "': " + err);
                    assertArrayEquals(goodBytes, Files.readAllBytes(good), "the saved model is untouched");
                    assertArrayEquals(modelsBytes, Files.readAllBytes(models.resolve("shape-cnn.zip")),
                            "the model in --models is untouched");
                    assertEquals(List.of("shape-cnn.zip"), list(models), "nothing new in --models");
                    assertEquals(List.of(), list(runs), "no run folder left behind");
                    for (String out : List.of("layer-out", "visualize-out", "elsewhere")) {
                        assertFalse(Files.exists(tmp.resolve(out)), out + " was not written");
                    }
                }));
    }

    static List<String> list(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aDamagedResultJsonIsSkippedWithAWarning() throws IOException {
        Path out = tmp.resolve("results");
        Path ok = Files.createDirectories(out.resolve("shape-cnn/20260101-000000"));
        Files.writeString(ok.resolve("result.json"), "{\"experiment\":\"shape-cnn\",\"book_accuracy\":0.96,"
                + "\"test_accuracy_last\":0.9,\"test_accuracy_best\":0.95,\"epochs\":50,\"train_seconds\":60,"
                + "\"images_per_second\":100.0,\"seed\":42,\"layers\":\"dl4j\",\"train_limit\":0,\"stopped_early\":null,"
                + "\"backend_detail\":\"cpu, 1 OpenMP thread(s)\"}");
        Path bad = Files.createDirectories(out.resolve("color-cnn/20260101-000000")).resolve("result.json");
        Files.writeString(bad, "{\"experiment\":\"color-cnn\",\"test_acc");
        Path partial = Files.createDirectories(out.resolve("color-dnn/20260101-000000")).resolve("result.json");
        Files.writeString(partial, "{\"experiment\":\"color-dnn\"}");
        Object[] r = CliErrorsTest.run("results", "--out", out.toString());
        String err = (String) r[2];
        assertEquals(0, r[0], err);
        assertTrue(((String) r[1]).contains("| shape-cnn | 18.2.3 | 96.00% | 90.00% | 95.00% |"), (String) r[1]);
        assertEquals(2, err.strip().lines().count(), err);
        assertTrue(err.contains("warning: skipping " + bad + ": ") && err.contains("warning: skipping " + partial
                + ": no number 'test_accuracy_last'"), err);
        assertFalse(err.contains("\tat "), err);
    }
}
