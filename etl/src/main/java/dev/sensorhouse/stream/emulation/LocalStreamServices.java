package dev.sensorhouse.stream.emulation;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.events.EventLimits;
import dev.sensorhouse.stream.IngestStreamConfig;
import dev.sensorhouse.stream.kinesis.InitialPosition;
import dev.sensorhouse.stream.kinesis.KinesisReceiverSource;
import dev.sensorhouse.warehouse.WarehouseTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Local Kinesis and DynamoDB emulation for tests and {@code demo --stream}: kinesalite (Kinesis, plain
 * HTTP) and dynalite (DynamoDB, for the KCL's lease table, with {@code --ssl}, see
 * {@link dev.sensorhouse.stream.kinesis.KclEndpoints}), both from npm, started as child processes on
 * free ports of 127.0.0.1, in memory. {@code tests/run.sh} installs them into
 * {@code .services/node_modules}; {@link #find} looks there.
 *
 * <p>Danger: the processes outlive a JVM killed with SIGKILL; {@link #close} (and the shutdown hook
 * of whoever starts them) kills them.
 */
public final class LocalStreamServices implements AutoCloseable {
    /** Where tests/run.sh installs the emulators, relative to the project folder. */
    public static final String INSTALL_DIR = ".services/node_modules/.bin";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final List<Process> processes = new ArrayList<>();
    private final int kinesisPort;
    private final int dynamoDbPort;

    private LocalStreamServices(int kinesisPort, int dynamoDbPort) {
        this.kinesisPort = kinesisPort;
        this.dynamoDbPort = dynamoDbPort;
    }

    /**
     * The folder holding the {@code kinesalite} and {@code dynalite} launchers: {@code dir} itself when
     * given, else {@value #INSTALL_DIR} under the working folder or one of its parents.
     */
    public static Optional<Path> find(Optional<Path> dir) {
        if (dir.isPresent()) {
            return dir.filter(LocalStreamServices::hasBoth);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve(INSTALL_DIR);
            if (hasBoth(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean hasBoth(Path dir) {
        return Files.isExecutable(dir.resolve("kinesalite")) && Files.isExecutable(dir.resolve("dynalite"));
    }

    /** Starts both emulators from {@code bin} (see {@link #find}) and waits until they listen. */
    public static LocalStreamServices start(Path bin, Path logDir) {
        LocalStreamServices s = new LocalStreamServices(freePort(), freePort());
        try {
            Files.createDirectories(logDir);
            s.spawn(
                    List.of(
                            bin.resolve("kinesalite").toString(),
                            "--port",
                            Integer.toString(s.kinesisPort),
                            "--shardLimit",
                            "100",
                            "--createStreamMs",
                            "50"),
                    logDir.resolve("kinesalite.log"));
            s.spawn(
                    List.of(
                            bin.resolve("dynalite").toString(),
                            "--host",
                            "127.0.0.1",
                            "--port",
                            Integer.toString(s.dynamoDbPort),
                            "--ssl",
                            "--createTableMs",
                            "50"),
                    logDir.resolve("dynalite.log"));
            s.awaitListening(s.kinesisPort, "kinesalite", logDir);
            s.awaitListening(s.dynamoDbPort, "dynalite", logDir);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e instanceof IOException io
                    ? new UncheckedIOException("cannot start the emulators", io)
                    : (RuntimeException) e;
        }
    }

    /**
     * Also starts a {@code redis-server} (the Debian package) on a free port, in memory, stopped with
     * the emulators; returns its {@code redis://} URL.
     */
    public String startRedis(Path logDir) {
        int port = freePort();
        try {
            spawn(
                    List.of(
                            "redis-server",
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no"),
                    logDir.resolve("redis.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server (install the Debian package redis-server)", e);
        }
        awaitListening(port, "redis", logDir);
        return "redis://127.0.0.1:" + port;
    }

    /**
     * {@code ingest-stream} on these emulators: {@code stream} from TRIM_HORIZON in 1 s batches, KCL
     * application {@code app} (checkpoint {@code LAKE/_checkpoints/ingest-stream/APP}), Redis at {@code
     * redis} (retried 60 s), speed hours into the lake's DuckDB file, the default limits.
     */
    public IngestStreamConfig ingestConfig(
            Path lake,
            String stream,
            String app,
            String redis,
            Duration warehouseInterval,
            Duration alertsFlushInterval,
            MetricCatalog catalog,
            Duration runFor,
            Duration stopWhenIdle) {
        return new IngestStreamConfig(
                lake.toString(),
                new KinesisReceiverSource(
                        stream,
                        "us-east-1",
                        Optional.of(kinesisEndpoint()),
                        Optional.of(dynamoDbEndpoint()),
                        InitialPosition.parse("TRIM_HORIZON", null),
                        app,
                        1000),
                Duration.ofSeconds(1),
                lake + "/_checkpoints/ingest-stream/" + app,
                java.net.URI.create(redis),
                Duration.ofSeconds(60),
                WarehouseTarget.of(
                        lake.resolve("warehouse.duckdb").toString(),
                        Optional.empty(),
                        Optional.empty(),
                        Map.of(),
                        id -> null),
                warehouseInterval,
                alertsFlushInterval,
                1_000_000,
                catalog,
                EventLimits.DEFAULTS,
                Optional.of(runFor),
                Optional.of(stopWhenIdle));
    }

    /** {@code http://127.0.0.1:PORT}: kinesalite, for {@code --endpoint}. */
    public String kinesisEndpoint() {
        return "http://127.0.0.1:" + kinesisPort;
    }

    /** {@code https://127.0.0.1:PORT}: dynalite, for {@code --dynamodb-endpoint}. */
    public String dynamoDbEndpoint() {
        return "https://127.0.0.1:" + dynamoDbPort;
    }

    private void spawn(List<String> command, Path log) throws IOException {
        processes.add(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start());
    }

    private void awaitListening(int port, String name, Path logDir) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || processes.stream().anyMatch(p -> !p.isAlive())) {
                    throw new IllegalStateException(name + " did not listen on 127.0.0.1:" + port + " within "
                            + START_TIMEOUT + "; see " + logDir.resolve(name + ".log"));
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
        }
    }

    /** A port free on 127.0.0.1 right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
