package cnnlab.data;

import cnnlab.UserError;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the gzip-compressed IDX files of MNIST and Fashion-MNIST (format: LeCun's MNIST page,
 * big-endian magic {@code 0x00000803} for images {@code n×rows×cols} of unsigned bytes,
 * {@code 0x00000801} for {@code n} label bytes). The whole decompressed file is checked against its
 * SHA-256; every problem is a {@link UserError} naming the file.
 *
 * <p>DL4J's {@code MnistManager} reads the same format, but only uncompressed files through a
 * {@code RandomAccessFile} and without validation; reading the {@code .gz} directly avoids a
 * decompressed copy on disk.
 */
final class Idx {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    /** Images of one IDX file: {@code n} images of {@code rows×cols}, row-major, one byte per pixel. */
    record Images(byte[] pixels, int count, int rows, int cols) {
    }

    private Idx() {
    }

    /**
     * Reads an image file, checking magic, size and the SHA-256 of the decompressed content. The header is
     * checked before anything is allocated: against the expected shape ({@code count} images of
     * {@code side×side}, from the data set) and against the file's decompressed size (the gzip trailer).
     */
    static Images images(Path gz, String sha256, int count, int side) {
        return read(gz, sha256, (in, file) -> {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw wrongMagic(file, magic, IMAGES_MAGIC, "image");
            }
            int n = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (n != count || rows != side || cols != side) {
                throw new UserError(file + ": its IDX header announces " + n + " images of " + rows + "x" + cols
                        + ", expected " + count + " of " + side + "x" + side + "; delete it and fetch it again");
            }
            checkAgainstSize(file, 16 + (long) n * rows * cols, n + " images of " + rows + "x" + cols);
            byte[] px = readBody(in, file, n * rows * cols, n + " images of " + rows + "x" + cols);
            return new Images(px, n, rows, cols);
        });
    }

    /** Reads a label file, checking magic, size (as {@link #images}) and the SHA-256 of the decompressed content. */
    static int[] labels(Path gz, String sha256, int count) {
        return read(gz, sha256, (in, file) -> {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw wrongMagic(file, magic, LABELS_MAGIC, "label");
            }
            int n = in.readInt();
            if (n != count) {
                throw new UserError(file + ": its IDX header announces " + n + " labels, expected " + count
                        + "; delete it and fetch it again");
            }
            checkAgainstSize(file, 8 + (long) n, n + " labels");
            byte[] b = readBody(in, file, n, n + " labels");
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = b[i] & 0xFF;
            }
            return labels;
        });
    }

    private interface Body<T> {
        T read(DataInputStream in, Path file) throws IOException;
    }

    private static <T> T read(Path gz, String sha256, Body<T> body) {
        MessageDigest digest = Sha256.digest();
        T result;
        try (InputStream raw = Files.newInputStream(gz);
             DataInputStream in = new DataInputStream(new DigestInputStream(
                     new GZIPInputStream(raw, 1 << 16), digest))) {
            result = body.read(in, gz);
            long extra = in.transferTo(OutputStream.nullOutputStream());
            if (extra > 0) {
                throw new UserError(gz + ": " + extra + " bytes more than its IDX header announces");
            }
        } catch (NoSuchFileException e) {
            throw new UserError(gz + ": file not found");
        } catch (EOFException e) {
            throw new UserError(gz + ": truncated (the data ends early)");
        } catch (ZipException e) {
            throw new UserError(gz + ": not a valid gzip file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UserError(gz + ": cannot be read (" + e + ")");
        }
        String got = Sha256.hex(digest);
        if (!got.equals(sha256)) {
            throw new UserError(gz + ": content differs from the official file (SHA-256 of the decompressed data "
                    + got + ", expected " + sha256 + "); delete it and fetch it again");
        }
        return result;
    }

    /**
     * The decompressed size a header announces against the size the gzip trailer records (ISIZE, the
     * size modulo 2^32) and the most that deflate can expand the file's bytes to (about 1032:1).
     */
    private static void checkAgainstSize(Path gz, long announced, String what) throws IOException {
        long compressed = Files.size(gz);
        long isize;
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(gz)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.position(compressed - 4);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // fill
            }
            isize = Integer.toUnsignedLong(b.flip().getInt());
        }
        if (announced > 1100 * compressed || isize < announced) {
            throw new UserError(gz + ": its IDX header announces " + what + " (" + announced
                    + " bytes) but the file holds " + (isize < announced ? isize + " bytes" : "far fewer")
                    + " (truncated or damaged); delete it and fetch it again");
        }
    }

    private static byte[] readBody(DataInputStream in, Path file, int bytes, String what) throws IOException {
        byte[] b = new byte[bytes];
        int got = in.readNBytes(b, 0, bytes);
        if (got < bytes) {
            throw new UserError(file + ": truncated: header announces " + what + " (" + bytes
                    + " bytes) but only " + got + " follow");
        }
        return b;
    }

    private static UserError wrongMagic(Path file, int magic, int expected, String kind) {
        return new UserError(String.format("%s: not an IDX %s file (magic number 0x%08X, expected 0x%08X)",
                file, kind, magic, expected));
    }
}
