package dev.sensorhouse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** A local lake as plain files: copying one, listing its raw files, reading a raw file's lines. */
public final class LakeFiles {
    public static final String RAW_EVENTS = "raw/sensor_events";

    private LakeFiles() {}

    /** Copies the whole lake folder (raw zone and Delta tables; Delta logs hold relative paths). */
    public static Path copy(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy lake " + from + " to " + to, e);
        }
    }

    /**
     * The raw files a cleanse can see, relative to the lake root and sorted: every file under
     * {@code raw/sensor_events} whose name does not start with {@code _} or {@code .}.
     */
    public static List<String> rawFiles(Path lake) {
        Path root = lake.resolve(RAW_EVENTS);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("_")
                            && !p.getFileName().toString().startsWith("."))
                    .map(p -> lake.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a raw file (relative to the lake), gunzipped when it ends in .gz. */
    public static List<String> rawLines(Path lake, String file) {
        try (InputStream in = Files.newInputStream(lake.resolve(file))) {
            InputStream data = file.endsWith(".gz") ? new GZIPInputStream(in) : in;
            return new String(data.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
