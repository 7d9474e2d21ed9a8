package cnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.layers.Chapter17Demos;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chapter-17 demos write their PNGs; {@code bench layers --json} writes one row per op and impl. */
class DemoAndBenchCommandTest {

    private static List<Path> pngs(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".png")).toList();
        }
    }

    @Test
    void kernelsAndConvReluPoolWritePngs(@TempDir Path dir) throws IOException {
        assertEquals(0, Main.run("demo", "kernels", "--out", dir.toString()));
        assertEquals(0, Main.run("demo", "conv-relu-pool", "--out", dir.toString()));
        List<Path> files = pngs(dir);
        assertTrue(files.stream().anyMatch(p -> p.endsWith("kernels.png")), files.toString());
        assertTrue(files.stream().anyMatch(p -> p.endsWith("conv-relu-pool.png")), files.toString());
        assertTrue(files.stream().allMatch(p -> p.getParent().getParent().getFileName().toString().startsWith("demo-")));
        // --image reads a picture: use the one just written
        Path picture = files.stream().filter(p -> p.endsWith("original.png")).findFirst().orElseThrow();
        assertEquals(0, Main.run("demo", "kernels", "--image", picture.toString(), "--out", dir.resolve("b").toString()));
        assertEquals(2, Main.run("demo", "kernels", "--image", dir.resolve("none.png").toString(),
                "--out", dir.toString()));
    }

    @Test
    void learnKernelConvergesToTheTrueKernel(@TempDir Path dir) {
        Chapter17Demos.Learned r = Chapter17Demos.learnKernel(null, dir, new PrintStream(new ByteArrayOutputStream()), 1);
        assertTrue(r.loss() < 1e-7, "loss " + r.loss());
        assertTrue(r.iterations() < 10000);
        assertArrayEquals(Chapter17Demos.W_TRUE, r.learned(), 0.01);
        assertTrue(Files.exists(dir.resolve("learn-kernel.png")));
        assertEquals(r.iterations() + 1, r.losses().length);
        assertEquals(r.loss(), r.losses()[r.iterations()]);
        assertTrue(r.losses()[0] > 1e4 * r.loss(), "the loss curve falls: " + r.losses()[0] + " -> " + r.loss());
        assertTrue(Files.exists(dir.resolve("learn-kernel-loss.png")));
    }

    @Test
    void diceIsTheConvolutionOfTwoUniformDistributions(@TempDir Path dir) {
        double[] h = Chapter17Demos.dice(dir, new PrintStream(new ByteArrayOutputStream()));
        assertEquals(11, h.length);
        for (int n = 2; n <= 12; n++) {
            assertEquals((6 - Math.abs(n - 7)) / 36.0, h[n - 2], 1e-12, "P(" + n + ")");
        }
        assertTrue(Files.exists(dir.resolve("dice.png")));
    }

    @Test
    void benchLayersJson() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("bench", "layers", "--json", "--calls-scale", "0.001");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        String json = buf.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\\{\"experiment\":\"[^\"]+\",\"op\":\"([a-z-]+)\",\"impl\":\"(direct|im2col|dl4j)\","
                + "\"calls\":\\d+,\"ms_per_call\":([0-9.]+)").matcher(json);
        int rows = 0;
        while (m.find()) {
            rows++;
            assertTrue(Double.parseDouble(m.group(3)) > 0, m.group());
        }
        assertEquals(12, rows, json);
        assertEquals(2, Main.run("bench", "layers", "--calls-scale", "0"));
    }
}
