package cnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code cnnlab bench nets} with the shortest windows: row fields, the data-pipeline epoch, errors. */
class BenchNetsCommandTest {

    @Test
    void jsonRowsForAChapterNetAndAClassicNet() throws Exception {
        Object[] r = SummaryCommandTest.run("bench", "nets", "--net", "shape-color-cnn", "lenet5", "--layers", "dl4j",
                "--warmup", "1", "--windows", "2", "--window-seconds", "0.01", "--epoch-batches", "3", "--json");
        assertEquals(0, r[0], () -> "stderr: " + r[2]);
        JsonNode rows = new ObjectMapper().readTree((String) r[1]);
        assertEquals(2, rows.size());
        JsonNode cnn = rows.get(0);
        assertEquals("shape-color-cnn", cnn.get("net").asText());
        assertEquals(16, cnn.get("batch").asInt());
        assertEquals("dl4j", cnn.get("layers").asText());
        assertEquals("[3,28,28]", cnn.get("input").toString());
        assertEquals(20_281, cnn.get("params").asLong());
        for (String k : new String[] {"train_img_s", "infer_img_s", "epoch_img_s", "peak_rss_mb"}) {
            assertTrue(cnn.get(k).asDouble() > 0, k + " in " + cnn);
        }
        assertTrue(cnn.get("train_img_s_min").asDouble() <= cnn.get("train_img_s").asDouble()
                && cnn.get("train_img_s").asDouble() <= cnn.get("train_img_s_max").asDouble(), cnn.toString());
        assertTrue(cnn.get("epoch_note").asText().startsWith("48 images in 3 batches"), cnn.toString());
        JsonNode lenet = rows.get(1);
        assertEquals("lenet5", lenet.get("net").asText());
        assertEquals(8, lenet.get("batch").asInt());
        assertEquals("[1,32,32]", lenet.get("input").toString());
        assertTrue(lenet.get("epoch_img_s").isNull());
        assertTrue(lenet.get("train_img_s").asDouble() > 0);
    }

    @Test
    void unknownNetIsAUserError() {
        Object[] r = SummaryCommandTest.run("bench", "nets", "--net", "lenet7");
        assertEquals(Main.USAGE, r[0]);
        assertTrue(((String) r[2]).contains("unknown net 'lenet7'"), (String) r[2]);
    }
}
