package cnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code cnnlab summary}: JSON fields, totals, inputs of experiments, and errors. */
class SummaryCommandTest {

    /** Runs the CLI and returns {exit code, stdout, stderr}. */
    static Object[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.commandLine().setErr(new java.io.PrintWriter(System.err, true)).execute(args);
            return new Object[] {code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static JsonNode json(String... args) throws Exception {
        Object[] r = run(args);
        assertEquals(0, r[0], () -> "exit code; stderr: " + r[2]);
        return new ObjectMapper().readTree((String) r[1]);
    }

    @Test
    void resnet18JsonHasTheTotals() throws Exception {
        JsonNode j = json("summary", "resnet18", "--json");
        assertEquals("resnet18", j.get("name").asText());
        assertEquals("[3,224,224]", j.get("input").toString());
        assertEquals(1000, j.get("classes").asInt());
        assertEquals(11_689_512, j.get("learnable_params").asLong());
        // 20 batch-norm layers, 4800 channels: running mean + variance
        assertEquals(11_689_512 + 2 * 4800, j.get("all_params").asLong());
        long sum = 0;
        for (JsonNode l : j.get("layers")) {
            sum += l.get("macs").asLong();
        }
        assertEquals(sum, j.get("macs").asLong());
        // ResNet-18 is the well-known 1.8 G multiply-adds at 224x224
        assertEquals(1.8e9, j.get("macs").asDouble(), 0.05e9);
    }

    /** LeNet-5's multiply-adds by hand: 5·5·1·6·28·28 + 5·5·6·16·10·10 + 400·120 + 120·84 + 84·10. */
    @Test
    void lenetMacsMatchTheHandCount() throws Exception {
        JsonNode j = json("summary", "lenet5", "--json");
        assertEquals(117_600 + 240_000 + 48_000 + 10_080 + 840, j.get("macs").asLong());
        assertEquals(61_706, j.get("learnable_params").asLong());
        assertEquals(j.get("learnable_params"), j.get("all_params"));
    }

    @Test
    void experimentsTakeTheirDataSetsInput() throws Exception {
        JsonNode cnn = json("summary", "shape-color-cnn", "--json");
        assertEquals("[3,28,28]", cnn.get("input").toString());
        assertEquals(9, cnn.get("classes").asInt());
        JsonNode dnn = json("summary", "color-dnn", "--json");
        assertEquals("[784]", dnn.get("input").toString());
        // 784·128+128 + 128·64+64 + 64·6+6
        assertEquals(100_480 + 8_256 + 390, dnn.get("learnable_params").asLong());
        JsonNode r = json("summary", "resnet18-cifar10", "--json");
        assertEquals("[3,32,32]", r.get("input").toString());
        assertEquals(10, r.get("classes").asInt());
    }

    @Test
    void inputAndClassesOptionsApply() throws Exception {
        JsonNode j = json("summary", "vgg16", "--input", "3x32x32", "--classes", "10", "--json");
        assertEquals("[3,32,32]", j.get("input").toString());
        JsonNode last = j.get("layers").get(j.get("layers").size() - 1);
        assertEquals("[10]", last.get("output").toString());
        // 14,714,688 conv parameters + FC 512->4096->4096->10
        assertEquals(14_714_688L + 512 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 10 + 10,
                j.get("learnable_params").asLong());
    }

    @Test
    void tablePrintsTheTotals() {
        Object[] r = run("summary", "googlenet");
        assertEquals(0, r[0]);
        String out = (String) r[1];
        assertTrue(out.contains("learnable parameters 13,378,280"), out);
        assertTrue(out.contains("inception4e"), out);
        assertTrue(out.contains("multiply-adds per image"), out);
    }

    @Test
    void badInputsAreUserErrors() {
        Object[] unknown = run("summary", "lenet6");
        assertEquals(Main.USAGE, unknown[0]);
        assertTrue(((String) unknown[2]).contains("unknown network or experiment 'lenet6'"), (String) unknown[2]);
        Object[] shape = run("summary", "vgg16", "--input", "3x32");
        assertEquals(Main.USAGE, shape[0]);
        assertTrue(((String) shape[2]).contains("CxHxW"), (String) shape[2]);
        Object[] small = run("summary", "alexnet", "--input", "3x32x32");
        assertEquals(Main.USAGE, small[0]);
        assertTrue(((String) small[2]).contains("pool5"), (String) small[2]);
        Object[] classes = run("summary", "resnet18", "--classes", "0");
        assertEquals(Main.USAGE, classes[0]);
    }
}
