package dev.sensorhouse.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.stream.emulation.LocalStreamServices;
import dev.sensorhouse.stream.kinesis.KinesisProducer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts {@code sensorhouse ingest-stream} as a child JVM against the shared emulators
 * ({@link StreamServices}) and Redis ({@link RedisServer}), and creates the streams tests put into.
 */
public final class StreamJobs {
    private StreamJobs() {}

    /**
     * Starts the job on {@code stream} with KCL application {@code app} and {@code extraArgs}
     * ({@code --lake}, {@code --stop-when-idle}...); {@code jvmOptions} e.g. a failpoint.
     */
    public static ChildProcess start(
            Path scratch, String stream, String app, List<String> jvmOptions, String... extraArgs) {
        LocalStreamServices services = StreamServices.shared();
        List<String> args = new ArrayList<>(List.of(
                "ingest-stream",
                "--stream",
                stream,
                "--region",
                StreamServices.REGION,
                "--endpoint",
                services.kinesisEndpoint(),
                "--dynamodb-endpoint",
                services.dynamoDbEndpoint(),
                "--initial-position",
                "TRIM_HORIZON",
                "--checkpoint-app",
                app,
                "--redis",
                RedisServer.shared().url()));
        args.addAll(List.of(extraArgs));
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ChildProcess.start(
                ChildProcess.sensorhouseJava(scratch, jvmOptions, args.toArray(String[]::new)),
                scratch,
                StreamServices.CREDENTIALS_ENV);
    }

    /** Creates {@code stream} with {@code shards} shards on the emulator. */
    public static void createStream(String stream, int shards) {
        credentialsForThisJvm();
        try (KinesisProducer p = new KinesisProducer(
                stream,
                StreamServices.REGION,
                Optional.of(StreamServices.shared().kinesisEndpoint()))) {
            p.createStreamIfMissing(shards);
        }
    }

    /** The emulators' credentials as AWS SDK v1 system properties, for producers run in this JVM. */
    public static void credentialsForThisJvm() {
        System.setProperty("aws.accessKeyId", StreamServices.CREDENTIALS_ENV.get("AWS_ACCESS_KEY_ID"));
        System.setProperty("aws.secretKey", StreamServices.CREDENTIALS_ENV.get("AWS_SECRET_ACCESS_KEY"));
    }

    /** Writes the built-in metric catalog with other alert thresholds for {@code metric}; returns the file. */
    public static Path catalogWithThresholds(Path file, String metric, double low, double high) {
        ObjectMapper json = new ObjectMapper();
        try (InputStream in =
                MetricCatalog.class.getClassLoader().getResourceAsStream(MetricCatalog.DEFAULT_RESOURCE)) {
            ObjectNode root = (ObjectNode) json.readTree(in);
            ObjectNode m = (ObjectNode) root.path("metrics").path(metric);
            m.put("alert_low", low);
            m.put("alert_high", high);
            Files.createDirectories(file.getParent());
            json.writeValue(file.toFile(), root);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of the raw event files under {@code lake}, in the order the producer sends them. */
    public static List<String> rawLines(Path lake) {
        Path events = lake.resolve("raw/sensor_events");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(events)) {
            return out;
        }
        try (var walk = Files.walk(events)) {
            for (Path f : walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("_"))
                    .sorted()
                    .toList()) {
                out.addAll(Files.readAllLines(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Environment entries a child needs: the emulators' credentials. */
    public static Map<String, String> env() {
        return StreamServices.CREDENTIALS_ENV;
    }
}
