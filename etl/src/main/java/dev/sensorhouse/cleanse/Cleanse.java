package dev.sensorhouse.cleanse;

import static org.apache.spark.sql.functions.*;

import dev.sensorhouse.contract.MetricCatalog;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The cleanse transformation, pure from Datasets to Datasets (reading and writing are the job's).
 *
 * <ol>
 *   <li>{@link #validate}: each raw line becomes one row, an event (with its good readings and
 *       rejected readings) or a rejected line (with its reasons).
 *   <li>{@link #duplicates}: the event lines that lose deduplication on {@code event_id}, against
 *       each other and against events already cleansed. The first copy wins: an already cleansed
 *       one, else the smallest (source_file, source_line).
 *   <li>{@link #readings} and {@link #quarantine}: the rows of {@code cleansed/readings} and
 *       {@code quarantine/events}.
 * </ol>
 */
public final class Cleanse {
  private static final StructType READING =
      new StructType().add("metric", DataTypes.StringType).add("value", DataTypes.DoubleType).add("unit", DataTypes.StringType);
  private static final StructType REJECT =
      new StructType().add("reason_code", DataTypes.StringType).add("reason_detail", DataTypes.StringType).add("metric", DataTypes.StringType);

  /** One row per raw line. {@code raw_line} is kept only where something was rejected. */
  public static final StructType VALIDATED_SCHEMA =
      new StructType()
          .add("line_rejected", DataTypes.BooleanType, false)
          .add("event_id", DataTypes.StringType)
          .add("device_id", DataTypes.StringType)
          .add("event_us", DataTypes.LongType, false)
          .add("lat", DataTypes.DoubleType)
          .add("lon", DataTypes.DoubleType)
          .add("battery_v", DataTypes.DoubleType)
          .add("firmware", DataTypes.StringType)
          .add("seq", DataTypes.LongType)
          .add("source_file", DataTypes.StringType, false)
          .add("source_line", DataTypes.LongType, false)
          .add("arrival_us", DataTypes.LongType, false)
          .add("raw_line", DataTypes.StringType)
          .add("readings", new ArrayType(READING, false), false)
          .add("rejects", new ArrayType(REJECT, false), false);

  private static final List<String> LINE_KEY = List.of("event_id", "source_file", "source_line");

  private Cleanse() {}

  /** Validates raw lines ({@link RawReader#LINES_SCHEMA}) into {@link #VALIDATED_SCHEMA} rows. */
  public static Dataset<Row> validate(Dataset<Row> lines, MetricCatalog catalog, CleanseLimits limits) {
    RawEventValidator validator = new RawEventValidator(catalog, limits);
    MapPartitionsFunction<Row, Row> fn =
        it ->
            new java.util.Iterator<>() {
              @Override
              public boolean hasNext() {
                return it.hasNext();
              }

              @Override
              public Row next() {
                Row line = it.next();
                String raw = line.getString(3);
                long arrivalUs = line.getLong(2);
                return toRow(validator.validate(raw, arrivalUs), line.getString(0), line.getLong(1), arrivalUs, raw);
              }
            };
    return lines.mapPartitions(fn, Encoders.row(VALIDATED_SCHEMA));
  }

  static Row toRow(ValidatedLine v, String sourceFile, long sourceLine, long arrivalUs, String raw) {
    List<Row> readings = new ArrayList<>(v.readings().size());
    for (ValidatedLine.Reading r : v.readings()) {
      readings.add(RowFactory.create(r.metric(), r.value(), r.unit()));
    }
    List<Row> rejects = new ArrayList<>(v.rejects().size());
    for (ValidatedLine.Reject r : v.rejects()) {
      rejects.add(RowFactory.create(r.reason().code(), r.detail(), r.metric()));
    }
    return RowFactory.create(
        v.lineRejected(),
        v.eventId(),
        v.deviceId(),
        v.eventTsMicros(),
        v.lat(),
        v.lon(),
        v.batteryV(),
        v.firmware(),
        v.seq(),
        sourceFile,
        sourceLine,
        arrivalUs,
        rejects.isEmpty() ? null : raw,
        scala.collection.JavaConverters.asScalaBuffer(readings),
        scala.collection.JavaConverters.asScalaBuffer(rejects));
  }

  /**
   * The event lines of {@code validated} that are duplicates: {@code (event_id, source_file,
   * source_line)} of every copy but the winner. {@code priorEventIds} (column {@code event_id}, repeats
   * allowed) are events already cleansed by other runs; they always win.
   */
  public static Dataset<Row> duplicates(Dataset<Row> validated, Dataset<Row> priorEventIds) {
    Dataset<Row> copies =
        validated.filter(not(col("line_rejected"))).select(col("event_id"), lit(1).as("origin"), col("source_file"), col("source_line"));
    Dataset<Row> prior =
        priorEventIds.select(col("event_id"), lit(0).as("origin"), lit(null).cast("string").as("source_file"), lit(null).cast("long").as("source_line"));
    Column copy = struct(col("origin"), col("source_file"), col("source_line"));
    Dataset<Row> contested =
        copies
            .unionByName(prior)
            .groupBy("event_id")
            .agg(sum("origin").as("new_copies"), count(lit(1)).as("copies"), min(copy).as("winner"))
            .filter(col("new_copies").geq(1).and(col("copies").gt(1)))
            .select("event_id", "winner");
    return copies
        .join(contested, "event_id")
        .filter(not(copy.equalTo(col("winner"))))
        .select("event_id", "source_file", "source_line");
  }

  /** Event lines that won deduplication. */
  public static Dataset<Row> events(Dataset<Row> validated, Dataset<Row> duplicates) {
    return validated
        .filter(not(col("line_rejected")))
        .join(duplicates, scala.collection.JavaConverters.asScalaBuffer(LINE_KEY).toSeq(), "left_anti");
  }

  /** Rows of {@code cleansed/readings}: one per good reading of each surviving event. */
  public static Dataset<Row> readings(Dataset<Row> events, String runId) {
    Column eventTs = timestamp_micros(col("event_us"));
    return events
        .select(col("*"), explode(col("readings")).as("r"))
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
            col("source_file"),
            col("source_line"),
            lit(runId).as("run_id"));
  }

  /**
   * Rows of {@code quarantine/events}: every reason of every rejected line (scope {@code line}) and
   * every rejected reading of a surviving event (scope {@code reading}). Rejected readings of a
   * duplicate are dropped with it.
   */
  public static Dataset<Row> quarantine(Dataset<Row> validated, Dataset<Row> events, String runId) {
    Dataset<Row> lines = rejectRows(validated.filter(col("line_rejected")), "line", runId);
    Dataset<Row> readings = rejectRows(events.filter(size(col("rejects")).gt(0)), "reading", runId);
    return lines.unionByName(readings);
  }

  private static Dataset<Row> rejectRows(Dataset<Row> rows, String scope, String runId) {
    Column arrivalTs = timestamp_micros(col("arrival_us"));
    return rows.select(col("*"), explode(col("rejects")).as("q"))
        .select(
            lit(runId).as("run_id"),
            col("q.reason_code").as("reason_code"),
            col("q.reason_detail").as("reason_detail"),
            lit(scope).as("scope"),
            col("raw_line"),
            col("source_file"),
            col("source_line"),
            arrivalTs.as("arrival_ts"),
            to_date(arrivalTs).as("arrival_date"),
            col("device_id"),
            col("event_id"),
            col("q.metric").as("metric"));
  }
}
