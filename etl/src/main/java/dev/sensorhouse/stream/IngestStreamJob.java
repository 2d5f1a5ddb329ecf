package dev.sensorhouse.stream;

import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.speed.RedisSpeedLayer;
import dev.sensorhouse.warehouse.SchemaSync;
import dev.sensorhouse.warehouse.StarSchema;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.WriterLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * {@code ingest-stream}: a Spark Streaming job that takes a stream's records into the raw zone and the
 * speed layer (Redis, {@code speed_reading_hourly}, alerts), micro-batch by micro-batch (see
 * {@link StreamSinks} for what a batch does).
 *
 * <p>Steps:
 *
 * <ol>
 *   <li>Check the sinks before reading anything: Redis must answer (else the job fails at once, naming
 *       it), the warehouse gets its schema (a warehouse that cannot be reached fails the job).
 *   <li>Let the source prepare the JVM (emulator endpoints), then build the streaming context, or
 *       recover it from {@code --checkpoint-dir}: the batches a crash left unfinished run again first.
 *   <li>Run until stopped ({@code --run-for}, {@code --stop-when-idle}, or a batch failure).
 *   <li>Stop gracefully (received data is processed), flush the speed hours and alerts a last time,
 *       and record the run in {@code control/job_runs}.
 * </ol>
 *
 * <p>Guarantees: at-least-once delivery from the source, made effectively-once by idempotent sinks (raw
 * files named by their shard range, Redis members and alert ids derived from the readings, hourly
 * figures upserted from deduplicated state). A redelivered record may appear twice in the raw zone
 * (in two files), which cleanse counts as a duplicate.
 */
public final class IngestStreamJob {
    private final SparkSession spark;
    private final IngestStreamConfig config;
    private final String args;

    public IngestStreamJob(SparkSession spark, IngestStreamConfig config, String args) {
        this.spark = spark;
        this.config = config;
        this.args = args;
    }

    /** What a run did, for the summary and the run record. */
    public record StreamResult(
            String runId, Instant startedAt, Instant endedAt, Map<String, Long> counts, Optional<String> error) {
        public String summary() {
            StringBuilder s = new StringBuilder("ingest-stream " + (error.isEmpty() ? "stopped" : "FAILED") + " after "
                    + String.format(
                            java.util.Locale.ROOT, "%.1f", (endedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0)
                    + " s (run " + runId + ")\n");
            counts.forEach((k, v) -> s.append(String.format(java.util.Locale.ROOT, "  %-22s %,d%n", k, v)));
            return s.toString();
        }
    }

    /**
     * The SparkSession for a stream job: the shared defaults, plus Spark Streaming's driver write-ahead
     * log closing its file after each write. Only a closed file is sure to hold the write: a local
     * file system's stream buffers what {@code hflush} is asked to flush, and S3 has no flush at all,
     * so without this a {@code kill -9} can lose the record of blocks the KCL has already checkpointed.
     */
    public static SparkSession session(String appName) {
        if (System.getProperty(WAL_CLOSE) == null) {
            System.setProperty(WAL_CLOSE, "true");
        }
        return SparkSessions.getOrCreate(appName);
    }

    private static final String WAL_CLOSE = "spark.streaming.driver.writeAheadLog.closeFileAfterWrite";

    public StreamResult run() throws Exception {
        if (!spark.sparkContext().getConf().getBoolean(WAL_CLOSE, false)) {
            throw new IllegalStateException("the SparkSession of ingest-stream must set " + WAL_CLOSE
                    + "=true before it starts (IngestStreamJob.session does)");
        }
        Instant started = Instant.now();
        RedisSpeedLayer.checkReachable(config.redis());
        try (Connection c = config.warehouse().connect()) {
            SchemaSync.apply(c, config.warehouse().dialect(), StarSchema.defaults());
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "warehouse " + config.warehouse() + " cannot be reached: " + e.getMessage(), e);
        }
        config.source().prepareJvm();
        Lake lake = Lake.at(spark, config.lake());
        Map<String, String> hadoop = new LinkedHashMap<>();
        spark.sparkContext().hadoopConfiguration().forEach(e -> {
            if (e.getKey().startsWith("fs.")) {
                hadoop.put(e.getKey(), e.getValue());
            }
        });
        String runId = "stream-" + started.toEpochMilli();
        Optional<String> error = Optional.empty();
        try (StreamSinks sinks = new StreamSinks(config, lake, hadoop)) {
            sinks.install();
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            JavaStreamingContext ssc = JavaStreamingContext.getOrCreate(config.checkpointDir(), () -> create(sc));
            System.err.println("ingest-stream: reading " + config.source().describe() + " every "
                    + config.batchInterval().toMillis() + " ms; checkpoint " + config.checkpointDir());
            ssc.start();
            try {
                awaitStop(ssc, sinks);
                ssc.stop(false, true);
            } catch (Exception e) {
                ssc.stop(false, false);
                error = Optional.of(String.valueOf(sinks.failure() != null ? sinks.failure() : e));
            }
            if (error.isEmpty() && sinks.failure() != null) {
                error = Optional.of(String.valueOf(sinks.failure()));
            }
            sinks.finish(Instant.now());
            StreamResult result = new StreamResult(runId, started, Instant.now(), counts(sinks), error);
            record(lake, result);
            return result;
        }
    }

    private JavaStreamingContext create(JavaSparkContext sc) {
        JavaStreamingContext ssc = new JavaStreamingContext(
                sc, Durations.milliseconds(config.batchInterval().toMillis()));
        ssc.checkpoint(config.checkpointDir());
        config.source().open(ssc).foreachRDD(StreamSinks::process);
        return ssc;
    }

    /** Waits for a stop condition; rethrows a batch failure. */
    private void awaitStop(JavaStreamingContext ssc, StreamSinks sinks) throws InterruptedException {
        long started = System.nanoTime();
        while (!ssc.awaitTerminationOrTimeout(200)) {
            if (sinks.failure() != null) {
                throw new IllegalStateException("a batch failed", sinks.failure());
            }
            long now = System.nanoTime();
            if (config.runFor().isPresent()
                    && now - started >= config.runFor().get().toNanos()) {
                return;
            }
            if (config.stopWhenIdle().isPresent()
                    && sinks.lastRecordNanos != 0
                    && now - sinks.lastRecordNanos
                            >= config.stopWhenIdle().get().toNanos()) {
                return;
            }
        }
    }

    private static Map<String, Long> counts(StreamSinks s) {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("batches", s.batches.get());
        c.put("records", s.records.get());
        c.put("raw_files", s.rawFiles.get());
        c.put("lines_rejected", s.linesRejected.get());
        c.put("readings", s.readings.get());
        c.put("readings_added", s.readingsAdded.get());
        c.put("alerts_raised", s.alertsRaised.get());
        c.put("alert_rows_written", s.alertRows.get());
        c.put("speed_hours_upserted", s.hourlyUpserts.get());
        return c;
    }

    /** Appends the run's row to {@code control/job_runs}, under the lake's writer lock. */
    private void record(Lake lake, StreamResult r) {
        try (WriterLock.Lease lock = lake.writerLock()
                .acquire("ingest-stream", lake.lockWait(), note -> System.err.println("ingest-stream: " + note))) {
            append(lake, r);
        }
    }

    private void append(Lake lake, StreamResult r) {
        lake.jobRuns()
                .append(new JobRun(
                        r.runId(),
                        1,
                        "ingest-stream",
                        "stream",
                        Optional.of(r.startedAt()),
                        Optional.of(r.endedAt()),
                        r.error().isEmpty() ? JobRun.Status.SUCCEEDED : JobRun.Status.FAILED,
                        r.startedAt(),
                        r.endedAt(),
                        Optional.empty(),
                        r.counts(),
                        List.of(),
                        Map.of(),
                        r.error(),
                        args));
    }
}
