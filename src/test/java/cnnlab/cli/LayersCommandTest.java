package cnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.layers.Npy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code cnnlab layers apply} on .npy files: the book's worked example through all three engines. */
class LayersCommandTest {

    private static INDArray arange(DataType t, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return Nd4j.arange(0, n).castTo(t).reshape('c', shape);
    }

    private static void save(Path dir, DataType t) {
        Npy.write(arange(t, 2, 3, 3, 3), dir.resolve("x.npy"));
        Npy.write(arange(t, 2, 3, 2, 2), dir.resolve("w.npy"));
        Npy.write(Nd4j.create(new double[] {1, -1}, new long[] {2}, DataType.DOUBLE).castTo(t), dir.resolve("b.npy"));
        Npy.write(arange(t, 2, 2, 2, 2), dir.resolve("delta.npy"));
    }

    private static int apply(Path in, Path out, String impl, String... extra) {
        String[] base = {"layers", "apply", "--op", "conv", "--impl", impl, "--x", in.resolve("x.npy").toString(),
            "--w", in.resolve("w.npy").toString(), "--b", in.resolve("b.npy").toString(),
            "--delta", in.resolve("delta.npy").toString(), "--stride", "1x1", "--pad", "0x0",
            "--out", out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Main.run(args);
    }

    @Test
    void bookExampleThroughEveryEngine(@TempDir Path dir) {
        save(dir, DataType.DOUBLE);
        double[] bookY = {1036, 1102, 1234, 1300, 2618, 2828, 3248, 3458,
            2818, 2884, 3016, 3082, 8288, 8498, 8918, 9128};
        double[] bookDw = {564, 586, 630, 652, 762, 784, 828, 850, 960, 982, 1026, 1048,
            812, 850, 926, 964, 1154, 1192, 1268, 1306, 1496, 1534, 1610, 1648};
        for (String impl : new String[] {"direct", "im2col", "dl4j"}) {
            Path out = dir.resolve(impl);
            assertEquals(0, apply(dir, out, impl), impl);
            INDArray y = Npy.read(out.resolve("y.npy"));
            assertEquals(DataType.DOUBLE, y.dataType());
            assertArrayEquals(new long[] {2, 2, 2, 2}, y.shape());
            assertArrayEquals(bookY, y.reshape(16).toDoubleVector(), 1e-9,
                    impl + " y");
            assertArrayEquals(bookDw, Npy.read(out.resolve("dw.npy")).div(2).reshape(24).toDoubleVector(), 1e-9,
                    impl + " dw (book divides by the batch)");
            assertArrayEquals(new double[] {44, 76}, Npy.read(out.resolve("db.npy")).reshape(2).toDoubleVector(),
                    1e-9, impl + " db");
            INDArray dx = Npy.read(out.resolve("dx.npy"));
            assertArrayEquals(new long[] {2, 3, 3, 3}, dx.shape());
            assertEquals(48, dx.getDouble(0, 0, 0, 0), 1e-9);
            assertEquals(466, dx.getDouble(1, 2, 2, 2), 1e-9);
        }
    }

    @Test
    void float32InFloat32Out(@TempDir Path dir) {
        save(dir, DataType.FLOAT);
        assertEquals(0, apply(dir, dir.resolve("o"), "im2col"));
        INDArray y = Npy.read(dir.resolve("o").resolve("y.npy"));
        assertEquals(DataType.FLOAT, y.dataType());
        assertEquals(1036, y.getDouble(0, 0, 0, 0), 1e-3);
    }

    @Test
    void poolingWritesOnlyDx(@TempDir Path dir) {
        Npy.write(arange(DataType.DOUBLE, 1, 1, 4, 4), dir.resolve("x.npy"));
        Npy.write(Nd4j.ones(DataType.DOUBLE, 1, 1, 2, 2), dir.resolve("d.npy"));
        Path out = dir.resolve("o");
        assertEquals(0, Main.run("layers", "apply", "--op", "maxpool", "--impl", "direct", "--x",
                dir.resolve("x.npy").toString(), "--delta", dir.resolve("d.npy").toString(), "--kernel", "2x2",
                "--out", out.toString()));
        assertArrayEquals(new double[] {5, 7, 13, 15}, Npy.read(out.resolve("y.npy")).reshape(4).toDoubleVector());
        assertEquals(4.0, Npy.read(out.resolve("dx.npy")).sumNumber().doubleValue(), 1e-12);
        assertTrue(Files.exists(out.resolve("dx.npy")));
        assertFalse(Files.exists(out.resolve("dw.npy")));
    }

    private static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void userErrorsExitWithCode2(@TempDir Path dir) throws IOException {
        save(dir, DataType.DOUBLE);
        Path out = dir.resolve("o");
        String x = dir.resolve("x.npy").toString();
        assertEquals(2, Main.run("layers", "apply", "--op", "conv", "--x", x, "--out", out.toString()), "no --w");
        assertEquals(2, apply(dir, out, "im2col", "--kernel", "3by3"), "bad --kernel");
        assertEquals(2, apply(dir, out, "im2col", "--kernel", "3x3"), "--kernel does not match w");
        assertEquals(2, apply(dir, out, "fast"), "unknown --impl");
        assertEquals(2, Main.run("layers", "apply", "--op", "maxpool", "--x", x, "--kernel", "5x5",
                "--out", out.toString()), "window larger than the input");
        assertEquals(2, Main.run("layers", "apply", "--op", "maxpool", "--x", x, "--kernel", "2x2",
                "--stride", "0x1", "--out", out.toString()), "stride 0");
        assertEquals(2, Main.run("layers", "apply", "--op", "conv", "--x", dir.resolve("nope.npy").toString(),
                "--w", x, "--out", out.toString()), "missing file");
        // a Fortran-order file would be read scrambled: refused
        byte[] header = "{'descr': '<f8', 'fortran_order': True, 'shape': (1, 1, 2, 2), }         \n"
                .getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length + 32).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length).put(header);
        for (int i = 0; i < 4; i++) {
            bb.putDouble(i);
        }
        Path fortran = dir.resolve("f.npy");
        Files.write(fortran, bb.array());
        String err = stderrOf(() -> assertEquals(2, Main.run("layers", "apply", "--op", "maxpool", "--x",
                fortran.toString(), "--kernel", "1x1", "--out", out.toString())));
        assertTrue(err.contains("Fortran"), err);
    }
}
