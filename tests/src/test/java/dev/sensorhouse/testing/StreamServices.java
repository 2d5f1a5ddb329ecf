package dev.sensorhouse.testing;

import dev.sensorhouse.stream.emulation.LocalStreamServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * kinesalite and dynalite for the stream tests, one pair per test JVM ({@link #shared()}), started on
 * first use from {@code .services/node_modules/.bin} (where {@code tests/run.sh} installs them; surefire
 * passes the folder as {@code -Dstream.services.bin}) and killed by a shutdown hook. Each test uses
 * streams and KCL application names of its own, so tests never see each other's records or leases.
 */
public final class StreamServices {
    /** The region every stream test uses; the emulators accept any. */
    public static final String REGION = "us-east-1";

    /** Credentials the emulators accept (they check none); child JVMs get them as environment. */
    public static final Map<String, String> CREDENTIALS_ENV =
            Map.of("AWS_ACCESS_KEY_ID", "sensorhouse-test", "AWS_SECRET_ACCESS_KEY", "sensorhouse-test");

    private static LocalStreamServices shared;

    private StreamServices() {}

    public static synchronized LocalStreamServices shared() {
        if (shared == null) {
            Optional<Path> given = Optional.ofNullable(System.getProperty("stream.services.bin"))
                    .map(Path::of);
            Path bin = LocalStreamServices.find(given)
                    .orElseThrow(
                            () -> new IllegalStateException(
                                    "kinesalite and dynalite not found in "
                                            + given.map(Path::toString).orElse(LocalStreamServices.INSTALL_DIR)
                                            + ": tests/run.sh installs them (npm install --prefix .services kinesalite@3.3.3 dynalite@4.0.0)"));
            Path logs;
            try {
                logs = Files.createTempDirectory("stream-services-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            shared = LocalStreamServices.start(bin, logs);
            LocalStreamServices s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "stream-services-stop"));
        }
        return shared;
    }
}
