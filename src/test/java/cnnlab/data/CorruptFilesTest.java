package cnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged copies of the real files (made in a temporary folder) are rejected with a message naming the file. */
class CorruptFilesTest {
    private static final String LABELS = "train-labels-idx1-ubyte";

    @TempDir
    Path tmp;

    private static byte[] gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    private static void gzip(byte[] b, Path p) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(b);
        }
    }

    private Path mnistCopy() throws IOException {
        Path dir = tmp.resolve("mnist");
        Files.createDirectories(dir);
        for (String f : RealData.MNIST.archives()) {
            Files.copy(TestData.dir().resolve("mnist").resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static String labelsError(Path file) {
        return assertThrows(UserError.class, () -> Idx.labels(file, Checksums.MNIST.get(LABELS), 60_000)).getMessage();
    }

    private static void assertMessage(String message, Path file, String what) {
        assertTrue(message.startsWith(file.toString()), "names the file: " + message);
        assertTrue(message.contains(what), "says '" + what + "': " + message);
    }

    @Test
    void truncatedGzipIsRejected() throws IOException {
        Path dir = mnistCopy();
        Path f = dir.resolve(LABELS + ".gz");
        byte[] gz = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(gz, gz.length / 2));
        assertMessage(labelsError(f), f, "truncated");
        // the same error reaches the user when the whole set is opened
        UserError e = assertThrows(UserError.class, () -> DataSources.open("mnist", tmp, 1));
        assertMessage(e.getMessage(), f, "truncated");
    }

    @Test
    void truncatedContentIsRejected() throws IOException {
        Path f = mnistCopy().resolve(LABELS + ".gz");
        byte[] raw = gunzip(f);
        gzip(Arrays.copyOf(raw, 30_008), f);
        assertMessage(labelsError(f), f, "its IDX header announces 60000 labels (60008 bytes) but the file holds 30008 bytes (truncated");
    }

    @Test
    void wrongMagicNumberIsRejected() throws IOException {
        Path dir = mnistCopy();
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        Files.copy(dir.resolve(LABELS + ".gz"), images, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String m = assertThrows(UserError.class,
                () -> Idx.images(images, Checksums.MNIST.get("train-images-idx3-ubyte"), 60_000, 28)).getMessage();
        assertMessage(m, images, "not an IDX image file (magic number 0x00000801, expected 0x00000803)");
    }

    @Test
    void changedContentFailsTheChecksum() throws IOException {
        Path f = mnistCopy().resolve(LABELS + ".gz");
        byte[] raw = gunzip(f);
        raw[100] = (byte) ((raw[100] + 1) % 10); // still a valid label
        gzip(raw, f);
        assertMessage(labelsError(f), f, "content differs from the official file");
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        Path f = mnistCopy().resolve(LABELS + ".gz");
        byte[] raw = gunzip(f);
        gzip(Arrays.copyOf(raw, raw.length + 3), f);
        assertMessage(labelsError(f), f, "3 bytes more than its IDX header announces");
    }

    @Test
    void notGzipIsRejected() throws IOException {
        Path f = mnistCopy().resolve(LABELS + ".gz");
        Files.writeString(f, "<html>404 not found</html>");
        assertMessage(labelsError(f), f, "not a valid gzip file");
    }

    @Test
    void cifarFolderAndArchive() throws IOException {
        Path src = TestData.dir(RealData.CIFAR_10).resolve("cifar-10").resolve(CifarBinary.ARCHIVE);
        Path dir = tmp.resolve("cifar-10");
        Path archive = dir.resolve(CifarBinary.ARCHIVE);
        Files.createDirectories(dir);
        // a truncated archive
        try (InputStream in = Files.newInputStream(src); OutputStream out = Files.newOutputStream(archive)) {
            out.write(in.readNBytes(50_000_000));
        }
        UserError e = assertThrows(UserError.class, () -> RealData.CIFAR_10.load(tmp, 1));
        assertMessage(e.getMessage(), archive, "truncated");
        Files.delete(archive);
        // the extracted folder is read instead of the archive when complete
        Path bin = dir.resolve(CifarBinary.FOLDER);
        Files.createDirectories(bin);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(src)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextTarEntry()) != null) {
                if (entry.isFile()) {
                    Files.copy(tar, bin.resolve(Path.of(entry.getName()).getFileName()));
                }
            }
        }
        assertEquals(List.of(), RealData.CIFAR_10.missing(tmp));
        InMemorySource s = RealData.CIFAR_10.load(tmp, 1);
        assertArrayEquals(new int[] {3, 8, 8, 0, 6, 6, 1, 6, 3, 1}, Arrays.copyOf(s.testSet().labels(), 10));
        // one changed byte in one batch
        Path batch = bin.resolve("data_batch_3.bin");
        byte[] b = Files.readAllBytes(batch);
        b[5] ^= 1;
        Files.write(batch, b);
        e = assertThrows(UserError.class, () -> RealData.CIFAR_10.load(tmp, 1));
        assertMessage(e.getMessage(), batch, "content differs from the official file");
        // a truncated batch
        Files.write(batch, Arrays.copyOf(b, 3073 * 9999));
        e = assertThrows(UserError.class, () -> RealData.CIFAR_10.load(tmp, 1));
        assertMessage(e.getMessage(), batch, "(truncated)");
    }

    @Test
    void missingFilesWithoutNetworkNameFilesAndFolder() throws IOException {
        Path dir = mnistCopy();
        Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"), RealData.MNIST.missing(tmp));
        // a closed local port stands for "no network"
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        UserError e = assertThrows(UserError.class, () -> RealData.MNIST.open(tmp, 1,
                List.of("http://127.0.0.1:" + port + "/mnist/"), new java.io.PrintStream(progress, true)));
        String m = e.getMessage();
        assertTrue(m.startsWith("mnist: missing t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz in "
                + dir.toAbsolutePath()), m);
        assertTrue(m.contains("download failed") && m.contains("http://127.0.0.1:" + port + "/mnist/"), m);
        assertTrue(progress.toString().contains("downloading"), progress.toString());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "nothing left behind");
        }
    }
}
