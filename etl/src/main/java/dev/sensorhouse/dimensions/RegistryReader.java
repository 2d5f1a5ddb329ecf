package dev.sensorhouse.dimensions;

import dev.sensorhouse.quarantine.ReasonCode;
import dev.sensorhouse.zones.HadoopConf;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
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
 * and the verbatim record. One Spark task per file (files are read whole, so lines are numbered
 * and gzip works). CSV headers are checked on the driver first, so a snapshot missing a required
 * column fails the run before anything is read.
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
            .add("reason_code", DataTypes.StringType)
            .add("reason_detail", DataTypes.StringType);

    public static Dataset<Row> read(SparkSession spark, List<RegistryFile> files) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        for (RegistryFile f : files) {
            if (f.source() == RegistryFile.Source.SNAPSHOT && f.format() == RegistryFile.Format.CSV) {
                try (BufferedReader in = open(conf, f)) {
                    SnapshotRows.header(Dimension.of(f.entity()), f.path(), in.readLine());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + f.uri(), e);
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
        JavaRDD<Row> rows = jsc.parallelize(slices, Math.max(1, slices.size()))
                .flatMap(s -> records(shipped.value().get(), s).iterator());
        return spark.createDataFrame(rows, SCHEMA);
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
        try (BufferedReader in = open(conf, file)) {
            return file.source() == RegistryFile.Source.CDC ? cdc(file, in) : snapshot(slice, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.uri(), e);
        }
    }

    private static List<Row> snapshot(Slice slice, BufferedReader in) throws IOException {
        RegistryFile file = slice.file();
        Dimension dimension = Dimension.of(file.entity());
        List<Row> out = new ArrayList<>();
        List<String> header = null;
        long lineNo = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (file.format() == RegistryFile.Format.CSV && header == null) {
                header = SnapshotRows.header(dimension, file.path(), line);
                continue;
            }
            if (line.isBlank() || lineNo % slice.parts() != slice.part()) {
                continue;
            }
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
        return out;
    }

    private static List<Row> cdc(RegistryFile file, BufferedReader in) throws IOException {
        String content = in.lines().collect(Collectors.joining("\n"));
        List<Row> out = new ArrayList<>();
        for (CdcFiles.NumberedRecord r : CdcFiles.records(content)) {
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
        return out;
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
                null);
    }

    private static Row rejected(
            RegistryFile file, long line, String raw, ReasonCode reason, String detail, String key) {
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
                reason.code(),
                detail);
    }

    private static BufferedReader open(Configuration conf, RegistryFile file) throws IOException {
        Path path = new Path(file.uri());
        FileSystem fs = path.getFileSystem(conf);
        InputStream in = fs.open(path, 1 << 20);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        if (codec != null) {
            in = codec.createInputStream(in);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 20);
    }
}
