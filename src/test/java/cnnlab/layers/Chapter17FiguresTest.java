package cnnlab.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The numbers {@code demo im2col} and {@code demo pooling} draw are the book's (17.2 method 3, 17.5.3). */
class Chapter17FiguresTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @Test
    void im2colDrawsTheBooksMatrices(@TempDir Path dir) throws IOException {
        Chapter17Figures.Im2colShapes s = Chapter17Figures.im2col(dir, QUIET);
        assertArrayEquals(new long[] {8, 12}, s.colX().shape());
        assertArrayEquals(new double[] {0, 1, 3, 4, 9, 10, 12, 13, 18, 19, 21, 22}, s.colX().getRow(0).toDoubleVector());
        assertArrayEquals(new long[] {12, 2}, s.colW().shape());
        assertArrayEquals(new double[][] {{1035, 2619}, {1101, 2829}, {1233, 3249}, {1299, 3459}, {2817, 8289},
            {2883, 8499}, {3015, 8919}, {3081, 9129}}, s.product().toDoubleMatrix());
        assertArrayEquals(new long[] {2, 2, 2, 2}, s.y().shape());
        // sample 2, channel 2 of the output: [[8289, 8499], [8919, 9129]]
        assertEquals(8499, s.y().getDouble(1, 1, 0, 1));
        assertNotNull(ImageIO.read(dir.resolve("im2col.png").toFile()));
    }

    @Test
    void poolingSendsTheBooksGradientBack(@TempDir Path dir) throws IOException {
        Chapter17Figures.PoolingExample p = Chapter17Figures.pooling(dir, QUIET);
        assertArrayEquals(new double[] {6, 8, 3, 4}, p.maxY());
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 1, 0, 2, 3, 0, 0, 0, 0, 0, 0, 4}, p.maxDx());
        assertArrayEquals(new double[] {3.25, 5.25, 2, 2}, p.avgY());
        assertArrayEquals(new double[] {.25, .25, .5, .5, .25, .25, .5, .5, .75, .75, 1, 1, .75, .75, 1, 1}, p.avgDx());
        assertNotNull(ImageIO.read(dir.resolve("pooling.png").toFile()));
    }

    @Test
    void numbersReadLikeTheBooks() {
        assertEquals("3", Chapter17Figures.number(3));
        assertEquals("3.25", Chapter17Figures.number(3.25));
        assertEquals("0.5", Chapter17Figures.number(0.5));
        assertEquals("-2", Chapter17Figures.number(-2));
    }
}
