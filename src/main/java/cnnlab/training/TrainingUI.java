package cnnlab.training;

import cnnlab.AtomicFiles;
import cnnlab.UserError;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

/**
 * DL4J's training UI ({@code deeplearning4j-ui}), bound to 127.0.0.1 only. DL4J's own
 * {@code UIServer.getInstance()} listens on every interface and offers no setting for the address;
 * here its server verticle is deployed with a Vert.x whose HTTP servers listen on the loopback address.
 */
public final class TrainingUI {
    public static final String HOST = "127.0.0.1";
    private static VertxUIServer server;

    private TrainingUI() {
    }

    /** Starts (once) the UI server on {@code 127.0.0.1:port} and returns its address. */
    public static synchronized String start(int port) {
        if (server == null) {
            setInstancePort(port);
            Vertx vertx = Vertx.vertx();
            LoopbackServer s = new LoopbackServer();
            CompletableFuture<String> started = new CompletableFuture<>();
            vertx.deployVerticle(s, ar -> {
                if (ar.succeeded()) {
                    started.complete(ar.result());
                } else {
                    started.completeExceptionally(ar.cause());
                }
            });
            try {
                started.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                vertx.close();
                Throwable c = e.getCause() != null ? e.getCause() : e;
                throw new UserError("cannot start the training UI on " + HOST + ":" + port + ": " + c.getMessage(), e);
            }
            server = s;
        }
        return "http://" + HOST + ":" + server.getPort();
    }

    /**
     * Checks a statistics file before anything is started. For reading ({@code cnnlab ui}) it must
     * exist; for recording ({@code train --stats}) it may be new, in a writable folder. Either way an
     * existing file must be a statistics file (DL4J's {@link FileStatsStorage} is a MapDB store, which
     * begins with the bytes {@code 4A 03}); anything else is refused before MapDB could touch it.
     */
    public static void checkStatsFile(Path file, boolean forReading, String option) {
        String head = option + " " + file + ": ";
        if (!Files.exists(file)) {
            if (forReading) {
                throw new UserError("statistics file not found: " + file);
            }
            AtomicFiles.requireWritableFolder(file, option); // walks up to the nearest existing folder
            return;
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError(head + "not a file");
        }
        byte[] magic = new byte[2];
        int n;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(magic, 0, 2);
        } catch (java.io.IOException e) {
            throw new UserError(head + "cannot be read (" + AtomicFiles.reason(e) + ")", e);
        }
        if (n == 0 && !forReading) {
            return; // an empty file: a new store
        }
        if (n < 2 || magic[0] != 0x4A || magic[1] != 0x03) {
            throw new UserError(head + "not a training-statistics file (written by 'cnnlab train --stats')"
                    + (forReading ? "" : "; name a new file"));
        }
        if (!forReading && !Files.isWritable(file)) {
            throw new UserError(head + "not writable");
        }
    }

    /** Opens a statistics file checked by {@link #checkStatsFile}; a damaged one is a {@link UserError}. */
    public static FileStatsStorage openStats(Path file) {
        try {
            return new FileStatsStorage(file.toFile());
        } catch (RuntimeException e) {
            throw new UserError(file + ": a damaged training-statistics file (" + e.getMessage() + ")", e);
        }
    }

    /** Checks that nothing listens on {@code 127.0.0.1:port} yet (unless this process's UI already does). */
    public static synchronized void checkPortFree(int port, String option) {
        if (port < 0 || port > 65535) {
            throw new UserError(option + " " + port + ": not a port number (0-65535)");
        }
        if (port == 0 || server != null && server.getPort() == port) {
            return; // any free port, or this process's own UI
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(HOST, port));
        } catch (java.io.IOException e) {
            throw new UserError(option + " " + port + ": " + HOST + ":" + port + " is in use (" + AtomicFiles.reason(e)
                    + "); choose another port", e);
        }
    }

    /** Attaches a statistics store to the running UI. */
    public static void attach(StatsStorage storage) {
        server.attach(storage);
    }

    private static void setInstancePort(int port) {
        try {
            var f = VertxUIServer.class.getDeclaredField("instancePort");
            f.setAccessible(true);
            f.set(null, port);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this DL4J version's UI server has no instancePort", e);
        }
    }

    /** The UI server verticle, given a Vert.x whose {@code createHttpServer()} binds to 127.0.0.1. */
    static final class LoopbackServer extends VertxUIServer {
        @Override
        public void init(Vertx vertx, Context context) {
            super.init(loopback(vertx), context);
        }

        private static Vertx loopback(Vertx real) {
            return (Vertx) Proxy.newProxyInstance(TrainingUI.class.getClassLoader(), real.getClass().getInterfaces(),
                    (proxy, method, args) -> {
                        if (method.getName().equals("createHttpServer") && (args == null || args.length == 0)) {
                            return loopback(real.createHttpServer(new HttpServerOptions().setHost(HOST)));
                        }
                        return call(real, method, args);
                    });
        }

        /** Vert.x 3.9's {@code listen(port, handler)} binds to 0.0.0.0 whatever the options say: bind to 127.0.0.1. */
        @SuppressWarnings("unchecked")
        private static HttpServer loopback(HttpServer real) {
            return (HttpServer) Proxy.newProxyInstance(TrainingUI.class.getClassLoader(),
                    new Class<?>[] {HttpServer.class}, (proxy, method, args) -> {
                        Object result;
                        if (method.getName().equals("listen") && args != null && args.length == 2
                                && args[0] instanceof Integer port && args[1] instanceof Handler<?> h) {
                            result = real.listen(port, HOST, (Handler<AsyncResult<HttpServer>>) h);
                        } else {
                            result = call(real, method, args);
                        }
                        return result == real ? proxy : result; // keep fluent calls on the proxy
                    });
        }

        private static Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** Statistics recording for one training run: live UI and/or a stats file. */
    public static final class Monitor implements AutoCloseable {
        private final StatsStorage storage;

        private Monitor(StatsStorage storage) {
            this.storage = storage;
        }

        /**
         * Attaches a {@link StatsListener} when the UI or a stats file is wanted; with {@code --ui}
         * and no file, the statistics go to memory only.
         */
        public static Monitor attach(Net net, boolean ui, int port, Path statsFile, PrintStream log) {
            if (!ui && statsFile == null) {
                return new Monitor(null);
            }
            StatsStorage storage;
            if (statsFile != null) {
                checkStatsFile(statsFile, false, "--stats");
                try {
                    Path parent = statsFile.toAbsolutePath().getParent();
                    Files.createDirectories(parent);
                } catch (java.io.IOException e) {
                    throw new UserError("cannot write stats file " + statsFile + ": " + e.getMessage(), e);
                }
                storage = openStats(statsFile);
                log.println("training statistics: " + statsFile + " (view later with 'cnnlab ui " + statsFile + "')");
            } else {
                storage = new InMemoryStatsStorage();
            }
            net.addListeners(new StatsListener(storage, 5));
            if (ui) {
                String url = start(port);
                TrainingUI.attach(storage);
                log.println("training UI: " + url + "/train/overview");
            }
            return new Monitor(storage);
        }

        @Override
        public void close() {
            if (storage != null) {
                try {
                    storage.close();
                } catch (java.io.IOException e) {
                    // statistics are a convenience; training results are already saved
                }
            }
        }
    }
}
