package dev.sensorhouse.cleanse;

import static org.apache.spark.sql.functions.*;

import dev.sensorhouse.quarantine.QuarantineRows;
import dev.sensorhouse.quarantine.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The cleanse transformation, pure from Datasets to Datasets (reading and writing are the job's).
 *
 * <ol>
 *   <li>{@link RawReader#validated}: each raw record becomes one row, an event (with its good readings
 *       and rejected readings) or a rejected record (with its reasons); blank lines and the unreadable
 *       rest of a damaged file get a row each too ({@link ValidatedRows}).
 *   <li>{@link #contestedHashes} and {@link #losers}: the event lines that lose deduplication on
 *       {@code event_id}, against each other and against events already cleansed. The first copy
 *       wins: an already cleansed one, else the smallest (source_file, source_line).
 *   <li>{@link #markDuplicates}: flags the losers, so every line still has exactly one row.
 *   <li>{@link #readings} and {@link #quarantine}: the rows of {@code cleansed/readings} and
 *       {@code quarantine/events}.
 * </ol>
 */
public final class Cleanse {
    private Cleanse() {}

    /** The validated rows ({@link RawReader#validated}) as a Dataset with {@link ValidatedRows#SCHEMA}. */
    public static Dataset<Row> asDataset(SparkSession spark, JavaRDD<InternalRow> validated) {
        // internalCreateDataFrame is Spark's own way to wrap rows that are already in its binary format.
        return spark.internalCreateDataFrame(validated.rdd(), ValidatedRows.SCHEMA, false);
    }

    /** Column {@code key_hash}: a 64-bit hash of {@code event_id}, the cheap first step of deduplication. */
    public static Column keyHash() {
        return xxhash64(col("event_id"));
    }

    /**
     * Hashes of event ids that may be duplicated: held by more than one event line of this run, or by
     * an event line and an already cleansed event ({@code priorEventIds}, column {@code event_id},
     * repeats allowed). A hash aggregate on a long, so it stays cheap for millions of events; the few
     * hashes it returns are resolved exactly by {@link #losers}.
     */
    public static Dataset<Row> contestedHashes(Dataset<Row> validated, Dataset<Row> priorEventIds) {
        Dataset<Row> copies =
                validated.filter(not(col("line_rejected"))).select(keyHash().as("key_hash"), lit(1L).as("new_copy"));
        Dataset<Row> prior = priorEventIds
                .select(keyHash().as("key_hash"), lit(0L).as("new_copy"))
                .distinct();
        return copies.unionByName(prior)
                .groupBy("key_hash")
                .agg(sum("new_copy").as("new_copies"), count(lit(1)).as("copies"))
                .filter(col("new_copies").geq(1).and(col("copies").gt(1)))
                .select("key_hash");
    }

    /** A copy of an event: where it was read (file, line, record in the line), or {@code prior} when it is already cleansed. */
    public record Copy(String eventId, String sourceFile, long sourceLine, long sourceRecord, boolean prior) {
        /** A copy that is the only record of its line. */
        public Copy(String eventId, String sourceFile, long sourceLine, boolean prior) {
            this(eventId, sourceFile, sourceLine, 1, prior);
        }
    }

    /**
     * The copies that lose deduplication, exactly, by event id: an already cleansed copy wins, else the
     * smallest (source_file, source_line, source_record); every other copy of the run loses.
     */
    public static List<Copy> losers(List<Copy> copies) {
        java.util.Map<String, List<Copy>> byId = new java.util.HashMap<>();
        copies.forEach(
                c -> byId.computeIfAbsent(c.eventId(), k -> new ArrayList<>()).add(c));
        List<Copy> losers = new ArrayList<>();
        java.util.Comparator<Copy> order = java.util.Comparator.comparing((Copy c) -> !c.prior())
                .thenComparing(Copy::sourceFile, java.util.Comparator.nullsFirst(String::compareTo))
                .thenComparingLong(Copy::sourceLine)
                .thenComparingLong(Copy::sourceRecord);
        for (List<Copy> group : byId.values()) {
            if (group.size() > 1) {
                group.sort(order);
                group.subList(1, group.size()).stream().filter(c -> !c.prior()).forEach(losers::add);
            }
        }
        losers.sort(java.util.Comparator.comparing(Copy::sourceFile)
                .thenComparingLong(Copy::sourceLine)
                .thenComparingLong(Copy::sourceRecord));
        return losers;
    }

    /**
     * Adds the boolean column {@code duplicate} to every validated line: true for the given losing
     * copies. The losers are few, so they are broadcast and the lines are never shuffled.
     */
    public static Dataset<Row> markDuplicates(Dataset<Row> validated, List<Copy> losers) {
        List<Row> rows = new ArrayList<>(losers.size());
        losers.forEach(l -> rows.add(RowFactory.create(l.sourceFile(), l.sourceLine(), l.sourceRecord(), true)));
        StructType schema = new StructType()
                .add("dup_file", DataTypes.StringType)
                .add("dup_line", DataTypes.LongType)
                .add("dup_record", DataTypes.LongType)
                .add("duplicate", DataTypes.BooleanType);
        Dataset<Row> dups = validated.sparkSession().createDataFrame(rows, schema);
        return validated
                .join(
                        broadcast(dups),
                        col("source_file")
                                .equalTo(col("dup_file"))
                                .and(col("source_line").equalTo(col("dup_line")))
                                .and(col("source_record").equalTo(col("dup_record"))),
                        "left_outer")
                .withColumn("duplicate", coalesce(col("duplicate"), lit(false)))
                .drop("dup_file", "dup_line", "dup_record");
    }

    /** Event lines that won deduplication ({@code marked} comes from {@link #markDuplicates}). */
    public static Dataset<Row> events(Dataset<Row> marked) {
        return marked.filter(not(col("line_rejected")).and(not(col("duplicate"))));
    }

    /**
     * Rows of {@code cleansed/readings}: one per good reading of each surviving event, which carries
     * its dimension keys ({@code device_key}, {@code location_key}).
     */
    public static Dataset<Row> readings(Dataset<Row> events, String runId) {
        Column eventTs = timestamp_micros(col("event_us"));
        return events.select(col("*"), explode(col("readings")).as("r"))
                .select(
                        col("event_id"),
                        col("device_id"),
                        col("r.metric").as("metric"),
                        col("r.value").as("value"),
                        col("r.unit").as("unit"),
                        eventTs.as("event_ts"),
                        to_date(eventTs).as("event_date"),
                        timestamp_micros(col("arrival_us")).as("arrival_ts"),
                        col("lat"),
                        col("lon"),
                        col("battery_v"),
                        col("firmware"),
                        col("seq"),
                        col("device_key"),
                        col("location_key"),
                        col("source_file"),
                        col("source_line"),
                        col("source_record"),
                        lit(runId).as("run_id"));
    }

    /**
     * Rows of {@code quarantine/events}: every reason of every rejected record (scope {@code line}),
     * every rejected reading of a surviving event (scope {@code reading}) and the unreadable rest of a
     * damaged file (scope {@code file}). Rejected readings of a duplicate are dropped with it.
     */
    public static Dataset<Row> quarantine(Dataset<Row> marked, String runId) {
        Dataset<Row> rejected =
                marked.filter(not(col("duplicate")).and(size(col("rejects")).gt(0)));
        return rejectRows(rejected, runId);
    }

    private static Dataset<Row> rejectRows(Dataset<Row> rows, String runId) {
        return QuarantineRows.of(rows.select(col("*"), explode(col("rejects")).as("q")), runId)
                .reason(col("q.reason_code"), col("q.reason_detail"))
                .scope(when(col("q.scope").equalTo(ReasonCode.Scope.FILE.code()), col("q.scope"))
                        .when(col("line_rejected"), lit(ReasonCode.Scope.LINE.code()))
                        .otherwise(lit(ReasonCode.Scope.READING.code())))
                .input(col("raw_line"), col("source_file"), col("source_line"), timestamp_micros(col("arrival_us")))
                .encoding(col("raw_encoding"))
                .record(col("source_record"))
                .device(col("device_id"))
                .event(col("event_id"))
                .metric(col("q.metric"))
                .rows();
    }
}
