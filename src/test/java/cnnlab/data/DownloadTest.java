package cnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.UserError;
import cnnlab.cli.DataFetchCommand;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Downloads against a local HTTP server that serves files from a temporary folder (no internet needed). */
class DownloadTest {
    @TempDir
    Path served;
    @TempDir
    Path data;

    private HttpServer server;
    private String base;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            Path f = served.resolve(ex.getRequestURI().getPath().substring(1));
            if (!Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            byte[] b = Files.readAllBytes(f);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serveMnist(String folder) throws IOException {
        Files.createDirectories(served.resolve(folder));
        for (String f : RealData.MNIST.archives()) {
            Files.copy(TestData.dir().resolve("mnist").resolve(f), served.resolve(folder).resolve(f));
        }
    }

    @Test
    void goodDownloadIsVerifiedAndOpened() throws IOException {
        serveMnist("mirror");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        InMemorySource s = RealData.MNIST.open(data, 3, List.of(base + "mirror/"), new PrintStream(progress, true));
        assertEquals(4, requests.get());
        assertEquals(55_000, s.trainSize());
        for (String f : RealData.MNIST.archives()) {
            assertArrayEquals(Files.readAllBytes(served.resolve("mirror").resolve(f)),
                    Files.readAllBytes(data.resolve("mnist").resolve(f)));
        }
        String bar = progress.toString();
        assertTrue(bar.contains("mnist/train-images-idx3-ubyte.gz") && bar.contains("100% [")
                && bar.contains("9.9/9.9 MB") && bar.contains("MB/s"), bar);
        // everything present: nothing downloaded again
        RealData.MNIST.open(data, 3, List.of(base + "mirror/"), null);
        assertEquals(4, requests.get());
    }

    @Test
    void corruptDownloadIsRejectedAndLeavesNothing() throws IOException {
        serveMnist("bad");
        Path labels = served.resolve("bad/t10k-labels-idx1-ubyte.gz");
        byte[] b = Files.readAllBytes(labels);
        Files.write(labels, java.util.Arrays.copyOf(b, b.length - 100));
        UserError e = assertThrows(UserError.class,
                () -> RealData.MNIST.fetch(data, true, List.of(base + "bad/"), null));
        assertTrue(e.getMessage().startsWith("download from " + base + "bad/t10k-labels-idx1-ubyte.gz rejected: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertFalse(Files.exists(data.resolve("mnist/t10k-labels-idx1-ubyte.gz")));
        assertFalse(Files.exists(data.resolve("mnist/t10k-labels-idx1-ubyte.gz.part")));
        // the files fetched before the bad one are complete and verified
        assertTrue(Files.exists(data.resolve("mnist/t10k-images-idx3-ubyte.gz")));
    }

    @Test
    void laterMirrorIsUsedWhenTheFirstFails() throws IOException {
        serveMnist("good");
        RealData.MNIST.fetch(data, true, List.of(base + "missing/", base + "good/"), null);
        assertEquals(List.of(), RealData.MNIST.missing(data));
        assertEquals(8, requests.get(), "each file: one 404, then one good download");
    }

    @Test
    void fetchCommand() throws IOException {
        serveMnist("cli");
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(captured, true));
            rc = new CommandLine(new DataFetchCommand()).execute("mnist", "--data-dir", data.toString(),
                    "--mirror", base + "cli/");
        } finally {
            System.setOut(out);
        }
        assertEquals(0, rc);
        assertTrue(captured.toString().contains("mnist: verified in"), captured.toString());
        assertTrue(captured.toString().contains("55000 training (5000 validation) + 10000 test images of 1x28x28"),
                captured.toString());
        assertEquals(List.of(), RealData.MNIST.missing(data));
    }
}
