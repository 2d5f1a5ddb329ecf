package dev.sensorhouse.dimensions;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * One input file of the device registry, and the rules that find them.
 *
 * <ul>
 *   <li>Snapshots ({@code --metadata DIR}): {@code DIR/devices/YYYY-MM-DD.csv} and {@code
 *       DIR/locations/YYYY-MM-DD.csv} (or {@code .jsonl}, either optionally {@code .gz}), one full
 *       registry snapshot per day, taken at 00:00 UTC of its date.
 *   <li>CDC ({@code --cdc DIR}): every file below {@code DIR} ending in {@code .json}, {@code .jsonl}
 *       or {@code .gz}: DynamoDB Streams records as delivered through Kinesis, one per line (or one
 *       pretty-printed record or array per file).
 * </ul>
 *
 * <p>Names starting with {@code _} or {@code .} (temporary files of a writer) are skipped.
 *
 * @param path the form stored in {@code source_file} and {@code input_files}: relative to the lake
 *     root when the file is under it, else its full URI
 * @param uri the file's full URI
 * @param effectiveAt a snapshot's instant; for CDC files the arrival hour from a {@code
 *     year=/month=/day=/hour=} path, else the file's modification time (used for the quarantine's
 *     {@code arrival_ts} only)
 */
public record RegistryFile(
        String path, String uri, Source source, Entity entity, Format format, Instant effectiveAt, long bytes)
        implements Serializable, Comparable<RegistryFile> {

    /** Where a file comes from. */
    public enum Source {
        SNAPSHOT,
        CDC;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a file's records are written. */
    public enum Format {
        CSV,
        JSON_LINES
    }

    private static final Pattern SNAPSHOT = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2})\\.(csv|jsonl|json)(\\.gz)?$");
    private static final Pattern HOUR_PATH =
            Pattern.compile("year=(\\d{4})/month=(\\d{1,2})/day=(\\d{1,2})/hour=(\\d{1,2})/");

    /** The snapshot's change id, e.g. {@code snapshot:2026-01-02}. */
    public String snapshotChangeId() {
        return "snapshot:" + LocalDate.ofInstant(effectiveAt, ZoneOffset.UTC);
    }

    @Override
    public int compareTo(RegistryFile o) {
        int c = source.compareTo(o.source);
        if (c == 0) {
            c = effectiveAt.compareTo(o.effectiveAt);
        }
        return c != 0 ? c : path.compareTo(o.path);
    }

    /**
     * Snapshot files below {@code dir}: {@code devices/} and {@code locations/}, sorted by date.
     *
     * @throws IllegalArgumentException naming a file in those folders whose name is not a snapshot name
     */
    public static List<RegistryFile> snapshots(Configuration conf, String lakeRoot, String dir) {
        List<RegistryFile> files = new ArrayList<>();
        for (Entity entity : Entity.values()) {
            String folder = dir + "/" + entity.code() + "s";
            for (LocatedFileStatus f : list(conf, folder)) {
                String name = f.getPath().getName();
                Matcher m = SNAPSHOT.matcher(name);
                if (!m.matches()) {
                    throw new IllegalArgumentException(String.format(
                            "%s: not a snapshot file name; expected YYYY-MM-DD.csv or YYYY-MM-DD.jsonl, optionally .gz",
                            f.getPath()));
                }
                Instant at;
                try {
                    at = LocalDate.parse(m.group(1))
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(f.getPath() + ": " + m.group(1) + " is not a date", e);
                }
                Format format = m.group(2).equals("csv") ? Format.CSV : Format.JSON_LINES;
                files.add(new RegistryFile(
                        relative(lakeRoot, f.getPath()),
                        f.getPath().toString(),
                        Source.SNAPSHOT,
                        entity,
                        format,
                        at,
                        f.getLen()));
            }
        }
        files.sort(null);
        return files;
    }

    /** CDC files below {@code dir}, sorted by arrival hour and path. */
    public static List<RegistryFile> cdc(Configuration conf, String lakeRoot, String dir) {
        List<RegistryFile> files = new ArrayList<>();
        for (LocatedFileStatus f : list(conf, dir)) {
            String name = f.getPath().getName();
            if (!(name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".gz"))) {
                continue;
            }
            String full = f.getPath().toString();
            Matcher m = HOUR_PATH.matcher(full);
            Instant at = m.find()
                    ? LocalDate.of(
                                    Integer.parseInt(m.group(1)),
                                    Integer.parseInt(m.group(2)),
                                    Integer.parseInt(m.group(3)))
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                            .plusSeconds(3600L * Integer.parseInt(m.group(4)))
                    : Instant.ofEpochMilli(f.getModificationTime());
            files.add(new RegistryFile(
                    relative(lakeRoot, f.getPath()), full, Source.CDC, null, Format.JSON_LINES, at, f.getLen()));
        }
        files.sort(null);
        return files;
    }

    private static List<LocatedFileStatus> list(Configuration conf, String dir) {
        List<LocatedFileStatus> out = new ArrayList<>();
        try {
            Path p = new Path(dir);
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) {
                return out;
            }
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
            while (it.hasNext()) {
                LocatedFileStatus f = it.next();
                if (!hidden(p, f.getPath())) {
                    out.add(f);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** A name below {@code root} starting with {@code _} or {@code .}. */
    private static boolean hidden(Path root, Path file) {
        for (Path p = file; p != null && !p.equals(root) && p.depth() > root.depth(); p = p.getParent()) {
            if (p.getName().startsWith("_") || p.getName().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String relative(String lakeRoot, Path file) {
        String full =
                file.toUri().getScheme() == null || file.toUri().getScheme().equals("file")
                        ? file.toUri().getPath()
                        : file.toString();
        String root = lakeRoot.replaceAll("^file:", "");
        return full.startsWith(root + "/") ? full.substring(root.length() + 1) : file.toString();
    }
}
