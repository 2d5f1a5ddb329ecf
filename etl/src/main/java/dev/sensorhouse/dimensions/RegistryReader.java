package dev.sensorhouse.dimensions;

import dev.sensorhouse.quarantine.RawInput;
import dev.sensorhouse.quarantine.ReasonCode;
import dev.sensorhouse.zones.HadoopConf;
import dev.sensorhouse.zones.RawRecords;
import dev.sensorhouse.zones.Utf8;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Reads registry files into one row per record (snapshot row or CDC record): either a change, in
 * the shape of {@code dims/registry_changes} plus {@code attr_hash}, or a rejection with its reason
 * and the verbatim record. Files are read whole (so lines are numbered and gzip works), packed into
 * as many Spark tasks as there are cores, through the raw zone's byte-level reader ({@link RawRecords}), so registry files
 * get the raw events' treatment of bad bytes: a line that is not UTF-8 is rejected as
 * {@code invalid_encoding} with its bytes in base64, a line longer than {@link #MAX_RECORD_BYTES} as
 * {@code oversized_record}, and a damaged (truncated or corrupt compressed) file gives one
 * {@code unreadable_file} row for its unreadable rest. A damaged CDC file's records before the damage
 * are read as usual; a damaged snapshot is not applied at all (its rows are dropped, the
 * {@code unreadable_file} row stands for the file), since a partial snapshot would end the versions of
 * every item after the damage. CSV headers are checked on the driver first, so a snapshot missing a
 * required column fails the run before anything is read.
 */
public final class RegistryReader {
    private RegistryReader() {}

    /** The schema of {@link #read}'s rows. */
    public static final StructType SCHEMA = new StructType()
            .add("ok", DataTypes.BooleanType, false)
            .add("entity", DataTypes.StringType)
            .add("natural_key", DataTypes.StringType)
            .add("change_id", DataTypes.StringType)
            .add("effective_at", DataTypes.TimestampType)
            .add("op", DataTypes.StringType)
            .add("attributes", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true))
            .add("attr_hash", DataTypes.StringType)
            .add("source", DataTypes.StringType, false)
            .add("event_id", DataTypes.StringType)
            .add("source_file", DataTypes.StringType, false)
            .add("source_line", DataTypes.LongType, false)
            .add("arrival_ts", DataTypes.TimestampType, false)
            .add("raw_line", DataTypes.StringType)
            .add("raw_encoding", DataTypes.StringType)
            .add("reason_code", DataTypes.StringType)
            .add("reason_detail", DataTypes.StringType)
            .add("scope", DataTypes.StringType);

    /** A registry line longer than this is {@code oversized_record}; only its first bytes are kept. */
    static final int MAX_RECORD_BYTES = 1 << 20;

    public static Dataset<Row> read(SparkSession spark, List<RegistryFile> files) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        for (RegistryFile f : files) {
            if (f.source() == RegistryFile.Source.SNAPSHOT && f.format() == RegistryFile.Format.CSV) {
                try (RawRecords in = open(conf, f)) {
                    if (in.next()) { // a damaged file without a first line is quarantined by its task
                        SnapshotRows.header(Dimension.of(f.entity()), f.path(), text(in, f));
                    }
                }
            }
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<HadoopConf> shipped = jsc.broadcast(new HadoopConf(conf));
        List<Slice> slices = new ArrayList<>();
        for (RegistryFile f : files) {
            int parts = f.source() == RegistryFile.Source.SNAPSHOT
                    ? (int) Math.min(4L * jsc.defaultParallelism(), Math.max(1, f.bytes() / SLICE_BYTES))
                    : 1;
            for (int p = 0; p < parts; p++) {
                slices.add(new Slice(f, p, parts));
            }
        }
        List<List<Slice>> tasks = tasks(slices, jsc.defaultParallelism());
        JavaRDD<Row> rows = jsc.parallelize(tasks, Math.max(1, tasks.size())).flatMap(task -> {
            List<Row> out = new ArrayList<>();
            for (Slice s : task) {
                out.addAll(records(shipped.value().get(), s));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, SCHEMA);
    }

    /**
     * Packs slices into Spark tasks by size, the biggest first into the lightest task: as many tasks as
     * the parallelism (or slices, when fewer), so a run over hundreds of small CDC files starts a
     * handful of tasks, not one per file. Each slice stays whole, so line numbers stay exact.
     */
    static List<List<Slice>> tasks(List<Slice> slices, int parallelism) {
        int count = Math.max(1, Math.min(slices.size(), parallelism));
        List<List<Slice>> tasks = new ArrayList<>();
        long[] load = new long[count];
        for (int i = 0; i < count; i++) {
            tasks.add(new ArrayList<>());
        }
        List<Slice> bySize = new ArrayList<>(slices);
        bySize.sort(java.util.Comparator.comparingLong((Slice s) -> s.file().bytes() / s.parts())
                .reversed());
        for (Slice s : bySize) {
            int lightest = 0;
            for (int i = 1; i < count; i++) {
                if (load[i] < load[lightest]) {
                    lightest = i;
                }
            }
            tasks.get(lightest).add(s);
            load[lightest] += Math.max(1, s.file().bytes() / s.parts());
        }
        return tasks;
    }

    /**
     * Snapshot bytes one task parses. A bigger snapshot is parsed by several tasks, each reading the
     * whole file (cheap) and parsing every {@code parts}-th line (the costly part), so line numbers
     * stay exact.
     */
    static final long SLICE_BYTES = 8L << 20;

    /** Part {@code part} of {@code parts} of a file's lines. */
    record Slice(RegistryFile file, int part, int parts) implements java.io.Serializable {}

    static List<Row> records(Configuration conf, Slice slice) {
        RegistryFile file = slice.file();
        try (RawRecords in = open(conf, file)) {
            return file.source() == RegistryFile.Source.CDC ? cdc(file, in) : snapshot(slice, in);
        }
    }

    private static List<Row> snapshot(Slice slice, RawRecords in) {
        RegistryFile file = slice.file();
        Dimension dimension = Dimension.of(file.entity());
        List<Row> out = new ArrayList<>();
        List<String> header = null;
        long rowsRead = 0;
        while (in.next()) {
            long lineNo = in.line();
            if (file.format() == RegistryFile.Format.CSV && header == null) {
                header = SnapshotRows.header(dimension, file.path(), text(in, file));
                continue;
            }
            rowsRead++;
            if (in.blank() || lineNo % slice.parts() != slice.part()) {
                continue;
            }
            Row bad = unreadableBytes(file, in);
            if (bad != null) {
                out.add(bad);
                continue;
            }
            String line = new String(in.buffer(), in.offset(), in.length(), StandardCharsets.UTF_8);
            SnapshotRows.Outcome o = file.format() == RegistryFile.Format.CSV
                    ? SnapshotRows.csv(dimension, header, line)
                    : SnapshotRows.json(dimension, line);
            if (o.rejected() != null) {
                out.add(rejected(
                        file,
                        lineNo,
                        line,
                        o.rejected().reason(),
                        o.rejected().detail(),
                        o.rejected().naturalKey()));
            } else {
                Map<String, String> attributes = o.row().attributes();
                out.add(change(
                        file,
                        lineNo,
                        file.entity(),
                        o.row().naturalKey(),
                        file.snapshotChangeId(),
                        file.effectiveAt().toEpochMilli() * 1000,
                        Op.IMAGE,
                        attributes,
                        Dimension.hash(dimension.project(attributes)),
                        null));
            }
        }
        if (in.damage().isPresent()) {
            out.clear(); // a partial snapshot is not applied
            if (slice.part() == 0) {
                out.add(damaged(
                        file,
                        in.damage().get(),
                        "the snapshot is not applied: its " + rowsRead
                                + " rows read before the damage would end the versions of every item after it"));
            }
        }
        return out;
    }

    private static List<Row> cdc(RegistryFile file, RawRecords in) {
        StringBuilder content = new StringBuilder();
        List<Row> out = new ArrayList<>();
        boolean linesOnly = false;
        long lines = 0;
        while (in.next()) {
            for (; lines < in.line() - 1; lines++) {
                content.append('\n');
            }
            lines = in.line();
            Row bad = unreadableBytes(file, in);
            if (bad != null) {
                out.add(bad);
                linesOnly = true; // a document with a line left out must not parse as one
            } else {
                content.append(new String(in.buffer(), in.offset(), in.length(), StandardCharsets.UTF_8));
            }
            content.append('\n');
        }
        linesOnly |= in.damage().isPresent();
        for (CdcFiles.NumberedRecord r :
                linesOnly ? CdcFiles.lineRecords(content.toString()) : CdcFiles.records(content.toString())) {
            CdcRecord.Outcome o = CdcRecord.parse(r.text());
            if (o instanceof CdcRecord.Outcome.Rejected rej) {
                out.add(rejected(file, r.line(), r.text(), rej.reason(), rej.detail(), rej.naturalKey()));
                continue;
            }
            CdcRecord c = ((CdcRecord.Outcome.Parsed) o).record();
            Dimension dimension = Dimension.of(c.entity());
            Op op = c.eventName() == CdcRecord.EventName.REMOVE ? Op.DELETE : Op.UPSERT;
            java.util.Optional<String> invalid = dimension.invalid(c.attributes());
            if (invalid.isPresent()) {
                out.add(rejected(file, r.line(), r.text(), ReasonCode.INVALID_TYPE, invalid.get(), c.naturalKey()));
                continue;
            }
            long micros = Math.multiplyExact(c.approximateCreation().getEpochSecond(), 1_000_000L)
                    + c.approximateCreation().getNano() / 1000;
            out.add(change(
                    file,
                    r.line(),
                    c.entity(),
                    c.naturalKey(),
                    "cdc:" + c.sequenceNumber(),
                    micros,
                    op,
                    c.attributes(),
                    null,
                    c.eventId()));
        }
        in.damage().ifPresent(d -> out.add(damaged(file, d, "the records before it were read")));
        return out;
    }

    /** A rejection of the current line when its bytes cannot be read as text (too long, or not UTF-8); else null. */
    private static Row unreadableBytes(RegistryFile file, RawRecords in) {
        if (in.size() > in.length()) {
            RawInput raw = RawInput.clipped(in.buffer(), in.offset(), in.length());
            return rejected(
                    file,
                    in.line(),
                    raw,
                    ReasonCode.OVERSIZED_RECORD,
                    String.format(
                            java.util.Locale.ROOT,
                            "line is %,d bytes, more than the limit of %,d",
                            in.size(),
                            MAX_RECORD_BYTES),
                    null);
        }
        int bad = Utf8.firstInvalid(in.buffer(), in.offset(), in.length());
        if (bad >= 0) {
            return rejected(
                    file,
                    in.line(),
                    RawInput.base64(in.buffer(), in.offset(), in.length()),
                    ReasonCode.INVALID_ENCODING,
                    String.format(
                            java.util.Locale.ROOT,
                            "byte 0x%02X at offset %d is not UTF-8; raw_line holds the line's bytes in base64",
                            in.buffer()[in.offset() + bad] & 0xFF,
                            bad),
                    null);
        }
        return null;
    }

    /** The row that stands for the unreadable rest of a damaged file. */
    private static Row damaged(RegistryFile file, RawRecords.Damage d, String consequence) {
        RawInput raw = d.partialSize() > d.partial().length
                ? RawInput.clipped(d.partial(), 0, d.partial().length)
                : RawInput.of(d.partial(), 0, d.partial().length);
        String detail = String.format(
                java.util.Locale.ROOT,
                "the file cannot be read from line %d on (%s); %s; raw_line holds the %,d bytes read of line %d",
                d.line(),
                d.error(),
                consequence,
                d.partialSize(),
                d.line());
        return rejected(file, d.line(), raw, ReasonCode.UNREADABLE_FILE, detail, null);
    }

    /** The current line as text (a CSV header). */
    private static String text(RawRecords in, RegistryFile file) {
        if (!Utf8.valid(in.buffer(), in.offset(), in.length()) || in.size() > in.length()) {
            throw new IllegalArgumentException(
                    file.path() + ": the header line is not UTF-8 text of at most " + MAX_RECORD_BYTES + " bytes");
        }
        return new String(in.buffer(), in.offset(), in.length(), StandardCharsets.UTF_8);
    }

    private static Row change(
            RegistryFile file,
            long line,
            Entity entity,
            String key,
            String changeId,
            long effectiveMicros,
            Op op,
            Map<String, String> attributes,
            String hash,
            String eventId) {
        return RowFactory.create(
                true,
                entity.code(),
                key,
                changeId,
                History.timestamp(effectiveMicros),
                op.code(),
                op == Op.DELETE ? null : JavaConverters.mapAsScalaMap(attributes),
                hash,
                file.source().code(),
                eventId,
                file.path(),
                line,
                Timestamp.from(file.effectiveAt()),
                null,
                null,
                null,
                null,
                null);
    }

    private static Row rejected(
            RegistryFile file, long line, String raw, ReasonCode reason, String detail, String key) {
        return rejected(file, line, raw, RawInput.TEXT, reason, detail, key);
    }

    private static Row rejected(
            RegistryFile file, long line, RawInput raw, ReasonCode reason, String detail, String key) {
        return rejected(file, line, raw.text(), raw.encoding(), reason, detail, key);
    }

    private static Row rejected(
            RegistryFile file, long line, String raw, String encoding, ReasonCode reason, String detail, String key) {
        String entity = file.entity() == null ? null : file.entity().code();
        return RowFactory.create(
                false,
                entity,
                key,
                null,
                null,
                null,
                null,
                null,
                file.source().code(),
                null,
                file.path(),
                line,
                Timestamp.from(file.effectiveAt()),
                raw,
                encoding,
                reason.code(),
                detail,
                reason.scope().code());
    }

    private static RawRecords open(Configuration conf, RegistryFile file) {
        return RawRecords.open(conf, new Path(file.uri()), file.bytes(), RawRecords.Framing.LINES, MAX_RECORD_BYTES);
    }
}
