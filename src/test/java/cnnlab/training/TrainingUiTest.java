package cnnlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;

/** DL4J's training UI answers on 127.0.0.1 and listens on no other address. */
class TrainingUiTest {

    @Test
    void uiAnswersOnLoopbackOnly() throws Exception {
        String url = TrainingUI.start(0); // port 0: any free port
        TrainingUI.attach(new InMemoryStatsStorage());
        assertTrue(url.startsWith("http://127.0.0.1:"), url);
        int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/train/overview")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("<html") || r.body().contains("<!DOCTYPE"), "an HTML page");

        List<String> listening = listeningAddresses(port);
        assertFalse(listening.isEmpty(), "the port shows up in /proc/net/tcp*");
        for (String local : listening) {
            assertTrue(local.equals("0100007F") || local.equals("0000000000000000FFFF00000100007F"),
                    "bound to 127.0.0.1 only, found local address " + local);
        }
    }

    /** Local addresses (hex, as the kernel lists them) of sockets listening on {@code port}. */
    static List<String> listeningAddresses(int port) throws Exception {
        String hexPort = String.format("%04X", port);
        List<String> out = new java.util.ArrayList<>();
        for (String f : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            if (!Files.exists(Path.of(f))) {
                continue;
            }
            for (String line : Files.readAllLines(Path.of(f)).subList(1, Files.readAllLines(Path.of(f)).size())) {
                String[] cols = line.trim().split("\\s+");
                String[] local = cols[1].split(":");
                if (local[1].equals(hexPort) && cols[3].equals("0A")) { // 0A = LISTEN
                    out.add(local[0]);
                }
            }
        }
        return out;
    }
}
