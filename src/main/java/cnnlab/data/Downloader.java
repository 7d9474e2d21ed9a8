package cnnlab.data;

import cnnlab.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Downloads one file from the first of several URLs that works, with a progress bar on stderr.
 * The file goes to {@code <target>.part}, is verified, and only then moved to {@code target}
 * atomically; a failed or rejected download leaves nothing behind.
 */
public final class Downloader {
    private final HttpClient client;
    private final PrintStream progress;

    public Downloader(PrintStream progress) {
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.progress = progress;
    }

    /**
     * Fetches {@code target} from the first URL that delivers a file {@code verify} accepts.
     *
     * @param verify throws {@link UserError} when a downloaded file is not the expected content
     * @throws IOException when no URL could be downloaded (no network, all mirrors failing)
     * @throws UserError when every download that arrived was rejected by {@code verify}
     */
    public void fetch(List<URI> urls, Path target, Consumer<Path> verify) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        List<String> failures = new ArrayList<>();
        UserError rejected = null;
        for (URI url : urls) {
            try {
                download(url, part);
                verify.accept(part);
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (UserError e) {
                rejected = new UserError("download from " + url + " rejected: " + e.getMessage(), e);
                failures.add(url + ": rejected");
            } catch (IOException e) {
                failures.add(url + ": " + describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("download interrupted", e);
            } finally {
                Files.deleteIfExists(part);
            }
        }
        if (rejected != null) {
            throw rejected;
        }
        throw new IOException(String.join("; ", failures));
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
    }

    private void download(URI url, Path part) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30))
                .header("User-Agent", "cnnlab").GET().build();
        HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new IOException("HTTP " + resp.statusCode());
            }
            long total = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
            String label = part.getParent().getFileName() + "/" + url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
            Bar bar = new Bar(progress, label, total);
            try (OutputStream out = Files.newOutputStream(part)) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) > 0) {
                    out.write(buf, 0, r);
                    bar.add(r);
                }
            }
            bar.done();
            if (total >= 0 && bar.bytes != total) {
                throw new IOException("connection closed after " + bar.bytes + " of " + total + " bytes");
            }
        }
    }

    /** A one-line progress bar: name, percentage, bar, megabytes, rate. */
    static final class Bar {
        private final PrintStream out;
        private final String label;
        private final long total;
        private final long start = System.nanoTime();
        private long bytes;
        private long lastPrint;

        Bar(PrintStream out, String label, long total) {
            this.out = out;
            this.label = label;
            this.total = total;
        }

        void add(int n) {
            bytes += n;
            long now = System.nanoTime();
            if (now - lastPrint > 200_000_000L) {
                lastPrint = now;
                print('\r');
            }
        }

        void done() {
            print('\n');
        }

        private void print(char end) {
            if (out == null) {
                return;
            }
            double s = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            double mb = bytes / 1e6;
            String rate = String.format(Locale.ROOT, "%.1f MB/s", mb / s);
            if (total > 0) {
                int pct = (int) (100 * bytes / total);
                int w = 30, filled = (int) (w * bytes / total);
                out.printf(Locale.ROOT, "\r%-40s %3d%% [%s%s] %.1f/%.1f MB %s%c", label, pct, "#".repeat(filled),
                        ".".repeat(w - filled), mb, total / 1e6, rate, end == '\n' ? '\n' : ' ');
            } else {
                out.printf(Locale.ROOT, "\r%-40s %.1f MB %s%c", label, mb, rate, end == '\n' ? '\n' : ' ');
            }
            out.flush();
        }
    }
}
