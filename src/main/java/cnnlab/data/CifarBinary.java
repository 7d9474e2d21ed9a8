package cnnlab.data;

import cnnlab.UserError;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        Map<String, byte[]> batches = hasExtracted(dir) ? readFolder(dir.resolve(FOLDER)) : readArchive(dir.resolve(ARCHIVE));
        byte[][] train = new byte[TRAIN.size()][];
        for (int i = 0; i < train.length; i++) {
            train[i] = batches.get(TRAIN.get(i));
        }
        return new ImageSet[] {toImages(train, classNames), toImages(new byte[][] {batches.get(TEST)}, classNames)};
    }

    private static Map<String, byte[]> readFolder(Path folder) {
        Map<String, byte[]> out = new HashMap<>();
        for (String name : Checksums.CIFAR_10.keySet()) {
            Path f = folder.resolve(name);
            try {
                out.put(name, check(f.toString(), name, Files.readAllBytes(f)));
            } catch (IOException e) {
                throw new UserError(f + ": cannot be read (" + e + ")");
            }
        }
        return out;
    }

    /** Reads and checks the six batches straight from the archive. */
    static Map<String, byte[]> readArchive(Path archive) {
        Map<String, byte[]> out = new HashMap<>();
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
                    out.put(name, check(archive + ": " + e.getName(), name, b));
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
        for (String name : Checksums.CIFAR_10.keySet()) {
            if (!out.containsKey(name)) {
                throw new UserError(archive + ": has no " + FOLDER + "/" + name + " (truncated or not the binary version)");
            }
        }
        return out;
    }

    private static byte[] check(String shown, String name, byte[] b) {
        if (b.length != RECORD * PER_BATCH) {
            throw new UserError(shown + ": " + b.length + " bytes, expected " + PER_BATCH + " records of " + RECORD
                    + " = " + RECORD * PER_BATCH + (b.length < RECORD * PER_BATCH ? " (truncated)" : ""));
        }
        String got = Sha256.of(b, 0, b.length);
        String want = Checksums.CIFAR_10.get(name);
        if (!got.equals(want)) {
            throw new UserError(shown + ": content differs from the official file (SHA-256 " + got + ", expected "
                    + want + "); delete it and fetch it again");
        }
        return b;
    }

    /** Strips the label byte of each record: pixels stay in the record's CHW order. */
    private static ImageSet toImages(byte[][] batches, List<String> classNames) {
        int per = RECORD - 1;
        int n = batches.length * PER_BATCH;
        byte[] px = new byte[n * per];
        int[] labels = new int[n];
        int i = 0;
        for (byte[] b : batches) {
            for (int r = 0; r < PER_BATCH; r++, i++) {
                labels[i] = b[r * RECORD] & 0xFF;
                System.arraycopy(b, r * RECORD + 1, px, i * per, per);
            }
        }
        return new ImageSet(px, labels, 3, SIZE, SIZE, classNames);
    }
}
