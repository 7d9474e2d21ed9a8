package cnnlab.data;

import cnnlab.UserError;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads CIFAR-10's "binary version" (Krizhevsky 2009; www.cs.toronto.edu/~kriz/cifar.html): five
 * training batches and one test batch of 10 000 records, each record one label byte then 3072 pixel
 * bytes (1024 red, 1024 green, 1024 blue, rows of 32), which is already the CHW layout of
 * {@link ImageSet}. Reads the extracted folder {@code cifar-10-batches-bin/} or, without it, the
 * {@code cifar-10-binary.tar.gz} archive directly (commons-compress). Every batch is checked against
 * its SHA-256; DataVec's {@code CifarLoader} needs the extracted files, converts through OpenCV
 * and does no such check.
 */
final class CifarBinary {
    static final String ARCHIVE = "cifar-10-binary.tar.gz";
    static final String FOLDER = "cifar-10-batches-bin";
    static final List<String> TRAIN = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST = "test_batch.bin";
    static final int SIZE = 32;
    static final int RECORD = 1 + 3 * SIZE * SIZE;
    static final int PER_BATCH = 10_000;

    private CifarBinary() {
    }

    /** Whether {@code dir} holds all six batches extracted. */
    static boolean hasExtracted(Path dir) {
        Path f = dir.resolve(FOLDER);
        return TRAIN.stream().allMatch(b -> Files.isRegularFile(f.resolve(b))) && Files.isRegularFile(f.resolve(TEST));
    }

    /** Reads {train, test} from {@code dir} (the {@code cifar-10/} folder). */
    static ImageSet[] read(Path dir, List<String> classNames) {
        int per = RECORD - 1;
        byte[] trainPx = new byte[TRAIN.size() * PER_BATCH * per];
        int[] trainLabels = new int[TRAIN.size() * PER_BATCH];
        byte[] testPx = new byte[PER_BATCH * per];
        int[] testLabels = new int[PER_BATCH];
        BiConsumer<String, byte[]> place = (name, batch) -> {
            int k = TRAIN.indexOf(name);
            if (k >= 0) {
                strip(batch, trainPx, trainLabels, k * PER_BATCH);
            } else {
                strip(batch, testPx, testLabels, 0);
            }
        };
        if (hasExtracted(dir)) {
            readFolder(dir.resolve(FOLDER), place);
        } else {
            readArchive(dir.resolve(ARCHIVE), place);
        }
        return new ImageSet[] {new ImageSet(trainPx, trainLabels, 3, SIZE, SIZE, classNames),
            new ImageSet(testPx, testLabels, 3, SIZE, SIZE, classNames)};
    }

    private static void readFolder(Path folder, BiConsumer<String, byte[]> sink) {
        for (String name : Checksums.CIFAR_10.keySet()) {
            Path f = folder.resolve(name);
            try {
                long size = Files.size(f);
                if (size != (long) RECORD * PER_BATCH) { // checked before the file is read into memory
                    throw new UserError(wrongSize(f.toString(), size));
                }
                sink.accept(name, check(f.toString(), name, Files.readAllBytes(f)));
            } catch (IOException e) {
                throw new UserError(f + ": cannot be read (" + e + ")");
            }
        }
    }

    /**
     * Reads and checks the six batches straight from the archive, handing each checked batch to
     * {@code sink} (so at most one raw batch is held at a time).
     */
    static void readArchive(Path archive, BiConsumer<String, byte[]> sink) {
        Set<String> seen = new HashSet<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw, 1 << 16))) {
            TarArchiveEntry e;
            while ((e = tar.getNextTarEntry()) != null) {
                String name = Path.of(e.getName()).getFileName().toString();
                if (e.isFile() && Checksums.CIFAR_10.containsKey(name)) {
                    if (e.getSize() != (long) RECORD * PER_BATCH) {
                        throw new UserError(archive + ": " + e.getName() + " has " + e.getSize() + " bytes, expected "
                                + (long) RECORD * PER_BATCH);
                    }
                    byte[] b = new byte[(int) e.getSize()];
                    int got = tar.readNBytes(b, 0, b.length);
                    if (got < b.length) {
                        throw new UserError(archive + ": truncated inside " + e.getName());
                    }
                    sink.accept(name, check(archive + ": " + e.getName(), name, b));
                    seen.add(name);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError(archive + ": file not found");
        } catch (EOFException e) {
            throw new UserError(archive + ": truncated (the data ends early)");
        } catch (ZipException e) {
            throw new UserError(archive + ": not a valid gzip file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UserError(archive + ": cannot be read as a tar.gz archive (" + e.getMessage() + ")");
        }
        List<String> absent = Checksums.CIFAR_10.keySet().stream().filter(n -> !seen.contains(n)).sorted().toList();
        if (!absent.isEmpty()) {
            throw new UserError(archive + ": has no " + FOLDER + "/" + String.join(", ", absent)
                    + " (truncated or not the binary version)");
        }
    }

    private static byte[] check(String shown, String name, byte[] b) {
        if (b.length != RECORD * PER_BATCH) {
            throw new UserError(wrongSize(shown, b.length));
        }
        String got = Sha256.of(b, 0, b.length);
        String want = Checksums.CIFAR_10.get(name);
        if (!got.equals(want)) {
            throw new UserError(shown + ": content differs from the official file (SHA-256 " + got + ", expected "
                    + want + "); delete it and fetch it again");
        }
        return b;
    }

    private static String wrongSize(String shown, long bytes) {
        return shown + ": " + bytes + " bytes, expected " + PER_BATCH + " records of " + RECORD + " = "
                + RECORD * PER_BATCH + (bytes < RECORD * PER_BATCH ? " (truncated)" : "");
    }

    /** Splits records into labels and pixels (which stay in the record's CHW order) at image {@code at}. */
    private static void strip(byte[] batch, byte[] px, int[] labels, int at) {
        int per = RECORD - 1;
        for (int r = 0; r < PER_BATCH; r++) {
            labels[at + r] = batch[r * RECORD] & 0xFF;
            System.arraycopy(batch, r * RECORD + 1, px, (at + r) * per, per);
        }
    }
}
