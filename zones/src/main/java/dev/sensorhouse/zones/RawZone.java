package dev.sensorhouse.zones;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The raw zone: verbatim JSON lines (optionally gzip) under
 * {@code raw/sensor_events/year=YYYY/month=MM/day=DD/hour=HH/}, partitioned by arrival hour as
 * Kinesis Data Firehose writes them. Files whose names start with {@code _} or {@code .} are
 * in-progress or hidden and never listed.
 */
public final class RawZone {
    public static final String EVENTS_DIR = "raw/sensor_events";
    private static final Pattern PARTITION = Pattern.compile("(year|month|day|hour)=(\\d{1,4})");

    private final FileSystem fs;
    private final Path lakeRoot;
    private final Configuration conf;

    RawZone(FileSystem fs, Path lakeRoot, Configuration conf) {
        this.fs = fs;
        this.lakeRoot = lakeRoot;
        this.conf = conf;
    }

    /**
     * The folder of one arrival hour relative to the lake root, e.g.
     * {@code raw/sensor_events/year=2026/month=01/day=01/hour=00}: the one definition of the layout
     * that every writer of the raw zone uses and {@link #list} reads.
     */
    public static String hourDir(Instant hour) {
        LocalDateTime t = LocalDateTime.ofInstant(hour, ZoneOffset.UTC);
        return String.format(
                java.util.Locale.ROOT,
                "%s/year=%04d/month=%02d/day=%02d/hour=%02d",
                EVENTS_DIR,
                t.getYear(),
                t.getMonthValue(),
                t.getDayOfMonth(),
                t.getHour());
    }

    public Path eventsDir() {
        return new Path(lakeRoot, EVENTS_DIR);
    }

    public boolean exists() {
        try {
            return fs.exists(eventsDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + eventsDir(), e);
        }
    }

    /**
     * Lists the raw files whose arrival hour is in {@code [from, to)}; either bound may be absent.
     * Whole year, month and day folders outside the bounds are skipped without being listed.
     */
    public List<RawFile> list(Optional<Instant> from, Optional<Instant> to) {
        List<RawFile> files = new ArrayList<>();
        try {
            walk(eventsDir(), 0, new int[4], from.map(h -> h.truncatedTo(ChronoUnit.HOURS)), to, files);
        } catch (FileNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list raw zone " + eventsDir(), e);
        }
        files.sort(null);
        return files;
    }

    private void walk(Path dir, int depth, int[] parts, Optional<Instant> from, Optional<Instant> to, List<RawFile> out)
            throws IOException {
        for (FileStatus status : fs.listStatus(dir)) {
            String name = status.getPath().getName();
            if (name.startsWith("_") || name.startsWith(".")) {
                continue;
            }
            if (depth < 4) {
                Matcher m = PARTITION.matcher(name);
                if (!status.isDirectory()
                        || !m.matches()
                        || !m.group(1).equals(new String[] {"year", "month", "day", "hour"}[depth])) {
                    continue;
                }
                parts[depth] = Integer.parseInt(m.group(2));
                if (overlaps(parts, depth, from, to)) {
                    walk(status.getPath(), depth + 1, parts, from, to, out);
                }
            } else if (status.isFile()) {
                Instant hour = start(parts, 3);
                out.add(new RawFile(relative(status.getPath()), hour, status.getLen()));
            }
        }
    }

    /** Whether the period named by the partition values up to {@code depth} overlaps [from, to). */
    private static boolean overlaps(int[] parts, int depth, Optional<Instant> from, Optional<Instant> to) {
        Instant start = start(parts, depth);
        LocalDateTime s = LocalDateTime.ofInstant(start, ZoneOffset.UTC);
        Instant end = switch (depth) {
            case 0 -> s.plusYears(1).toInstant(ZoneOffset.UTC);
            case 1 -> s.plusMonths(1).toInstant(ZoneOffset.UTC);
            case 2 -> s.plusDays(1).toInstant(ZoneOffset.UTC);
            default -> s.plusHours(1).toInstant(ZoneOffset.UTC);
        };
        return from.map(f -> end.isAfter(f)).orElse(true)
                && to.map(t -> start.isBefore(t)).orElse(true);
    }

    private static Instant start(int[] parts, int depth) {
        int month = depth >= 1 ? parts[1] : 1;
        int day = depth >= 2 ? parts[2] : 1;
        int hour = depth >= 3 ? parts[3] : 0;
        return LocalDateTime.of(parts[0], month, day, hour, 0).toInstant(ZoneOffset.UTC);
    }

    private String relative(Path file) {
        String root = lakeRoot.toUri().getPath().replaceAll("/+$", "");
        String path = file.toUri().getPath();
        return path.startsWith(root + "/") ? path.substring(root.length() + 1) : path;
    }
}
