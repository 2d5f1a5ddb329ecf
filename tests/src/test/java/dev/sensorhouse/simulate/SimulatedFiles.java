package dev.sensorhouse.simulate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Test fixture: reads a lake's raw zone back, line by line, with each line's arrival hour. */
final class SimulatedFiles {
    static final String EVENTS = "raw/sensor_events";
    private static final Pattern PARTITION =
            Pattern.compile("year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/hour=(\\d{2})/[^/]+$");

    /** One raw line: its text, its file (relative to the lake) and the start of its arrival hour. */
    record Line(String text, String file, int number, Instant arrivalHour) {
        int bytes() {
            return text.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private SimulatedFiles() {}

    /** Every file under raw/sensor_events, relative to the lake, sorted. */
    static List<String> files(Path lake) {
        Path root = lake.resolve(EVENTS);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile)
                    .map(p -> lake.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The content of a raw file, gunzipped when it ends in .gz. */
    static byte[] content(Path lake, String file) {
        try (InputStream in = Files.newInputStream(lake.resolve(file))) {
            InputStream data = file.endsWith(".gz") ? new GZIPInputStream(in) : in;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            data.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of every raw file, in file order (arrival hours ascending) then line order. */
    static List<Line> lines(Path lake) {
        List<Line> lines = new ArrayList<>();
        for (String file : files(lake)) {
            Matcher m = PARTITION.matcher(file);
            if (!m.find()) {
                throw new AssertionError("not in an arrival-hour partition: " + file);
            }
            Instant hour =
                    Instant.parse(m.group(1) + "-" + m.group(2) + "-" + m.group(3) + "T" + m.group(4) + ":00:00Z");
            String text = new String(content(lake, file), StandardCharsets.UTF_8);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                throw new AssertionError("last line of " + file + " has no newline");
            }
            String[] parts = text.split("\n", -1); // the part after the last newline is empty
            for (int i = 0; i < parts.length - 1; i++) {
                lines.add(new Line(parts[i], file, i + 1, hour));
            }
        }
        return lines;
    }
}
