package dev.sensorhouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real {@code redis-server} (the Debian package, which {@code tests/run.sh} installs) on a free port of
 * 127.0.0.1, one per test JVM ({@link #shared()}), killed by a shutdown hook. Every write is in its
 * append-only file before it is acknowledged ({@code appendfsync always}).
 *
 * <p>{@link #stop()} (SIGKILL) and {@link #start()} take it down and bring it back on the same port with
 * its data, so a test can show what the stream job does while Redis is away. Each test uses key prefixes or
 * {@code FLUSHALL} of its own; the stream tests run one at a time.
 */
public final class RedisServer {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static RedisServer shared;

    private final int port;
    private final Path dir;
    private ChildProcess process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** The server of this JVM, started on first call. */
    public static synchronized RedisServer shared() {
        if (shared == null) {
            try {
                shared = new RedisServer(ChildProcess.freePort(), Files.createTempDirectory("redis-"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create redis-server's folder", e);
            }
            shared.start();
            RedisServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "redis-server-stop"));
        }
        return shared;
    }

    /** {@code redis://127.0.0.1:PORT}, for {@code --redis}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the server (again) on its port; returns once it answers PING. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        String binary = Files.isExecutable(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : "redis-server";
        process = ChildProcess.start(
                List.of(
                        binary,
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "yes",
                        "--appendfsync",
                        "always",
                        "--dir",
                        dir.toString(),
                        "--daemonize",
                        "no"),
                dir,
                Map.of());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ping()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String out = process.describe();
                process.close();
                throw new IllegalStateException("redis-server did not answer PING on port " + port + " within "
                        + START_TIMEOUT + " (installed? tests/run.sh installs the Debian package redis-server)\n"
                        + out);
            }
            sleep(50);
        }
    }

    /** Kills the server (SIGKILL); acknowledged writes survive in its append-only file. */
    public synchronized void stop() {
        if (process != null) {
            process.close();
        }
    }

    /** Whether the server answers PING now. */
    public boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[7];
            int n = s.getInputStream().read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
