package cnnlab.layers;

import cnnlab.UserError;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy {@code .npy} files through ND4J ({@link Nd4j#createFromNpyFile}, {@link Nd4j#writeAsNumpy}),
 * after checking the header: ND4J reads only C-order little-endian float64/float32 correctly (a
 * Fortran-order file would come back silently scrambled), so anything else is refused with a message.
 */
public final class Npy {
    private Npy() {
    }

    /** Reads a C-order little-endian float64 or float32 array. */
    public static INDArray read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("no such file: " + file);
        }
        String header;
        long dataStart;
        try (InputStream in = Files.newInputStream(file)) {
            DataInputStream d = new DataInputStream(in);
            byte[] magic = new byte[8];
            if (d.readNBytes(magic, 0, 8) < 8 || magic[0] != (byte) 0x93
                    || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
                throw new UserError(file + " is not a .npy file");
            }
            long len = magic[6] == 1 ? Short.toUnsignedInt(Short.reverseBytes(d.readShort()))
                    : Integer.toUnsignedLong(Integer.reverseBytes(d.readInt()));
            dataStart = 8 + (magic[6] == 1 ? 2 : 4) + len;
            if (dataStart > Files.size(file)) {
                throw new UserError(file + ": truncated (its header announces " + len + " header bytes)");
            }
            byte[] h = new byte[(int) len];
            d.readFully(h);
            header = new String(h, StandardCharsets.ISO_8859_1);
        } catch (java.io.EOFException e) {
            throw new UserError(file + ": truncated .npy header", e);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!header.contains("'<f8'") && !header.contains("'<f4'")) {
            throw new UserError(file + ": only little-endian float64 or float32 arrays are supported (header "
                    + header.trim() + "); convert with a.astype(np.float64)");
        }
        if (header.contains("'fortran_order': True")) {
            throw new UserError(file + " is in Fortran order; save np.ascontiguousarray(a) instead");
        }
        checkSize(file, header, dataStart);
        try {
            return Nd4j.createFromNpyFile(file.toFile());
        } catch (RuntimeException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the shape in a .npy header against the bytes that follow it, before anything is allocated:
     * an empty array, a truncated file (ND4J would read past the data) or extra bytes are refused.
     */
    private static void checkSize(Path file, String header, long dataStart) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!m.find()) {
            throw new UserError(file + ": the .npy header has no shape (" + header.trim() + ")");
        }
        long count = 1;
        String shape = m.group(1).trim();
        for (String dim : shape.split(",")) {
            if (dim.isBlank()) {
                continue;
            }
            try {
                long n = Long.parseLong(dim.trim().replaceFirst("L$", ""));
                if (n < 0) {
                    throw new NumberFormatException();
                }
                count = Math.multiplyExact(count, n);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new UserError(file + ": impossible shape (" + shape + ") in its .npy header");
            }
        }
        if (count == 0) {
            throw new UserError(file + " holds an empty array (shape (" + shape + ")): every dimension must be at least 1");
        }
        long item = header.contains("'<f8'") ? 8 : 4;
        long want;
        long have;
        try {
            want = Math.multiplyExact(count, item);
            have = Files.size(file) - dataStart;
        } catch (ArithmeticException | IOException e) {
            throw new UserError(file + ": impossible shape (" + shape + ") in its .npy header");
        }
        if (have != want) {
            throw new UserError(file + ": its header announces shape (" + shape + ") of " + (item == 8 ? "float64" : "float32")
                    + ", " + want + " bytes, but " + have + " bytes follow" + (have < want ? " (truncated)" : ""));
        }
    }

    /** Writes {@code a} (C order) with its own data type, atomically. */
    public static void write(INDArray a, Path file) {
        INDArray c = a.dataType() == DataType.DOUBLE || a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.DOUBLE);
        cnnlab.AtomicFiles.write(file, tmp -> Nd4j.writeAsNumpy(c.dup('c'), tmp.toFile()));
    }
}
