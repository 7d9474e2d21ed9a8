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
        try (InputStream in = Files.newInputStream(file)) {
            DataInputStream d = new DataInputStream(in);
            byte[] magic = new byte[8];
            d.readFully(magic);
            if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
                throw new UserError(file + " is not a .npy file");
            }
            int len = magic[6] == 1 ? Short.toUnsignedInt(Short.reverseBytes(d.readShort()))
                    : Integer.reverseBytes(d.readInt());
            byte[] h = new byte[len];
            d.readFully(h);
            header = new String(h, StandardCharsets.ISO_8859_1);
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
        try {
            return Nd4j.createFromNpyFile(file.toFile());
        } catch (RuntimeException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code a} (C order) with its own data type. */
    public static void write(INDArray a, Path file) {
        try {
            INDArray c = a.dataType() == DataType.DOUBLE || a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.DOUBLE);
            Nd4j.writeAsNumpy(c.dup('c'), file.toFile());
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
