package dev.sensorhouse.stream;

import dev.sensorhouse.runtime.AuditedJob;
import dev.sensorhouse.runtime.JobFailedException;
import dev.sensorhouse.runtime.RunContext;
import dev.sensorhouse.runtime.RunScope;
import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.speed.AlertsFlush;
import dev.sensorhouse.speed.RedisSpeedLayer;
import dev.sensorhouse.warehouse.SchemaSync;
import dev.sensorhouse.warehouse.StarSchema;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
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
 *   <li>Stop gracefully (received data is processed) and flush the speed hours and alerts a last time.
 *       The run lifecycle ({@link AuditedJob}, lock scope {@code COMMITS}) records the run in
 *       {@code control/job_runs}: SUCCEEDED, or FAILED with the batch failure; a stream keeps what it
 *       committed.
 * </ol>
 *
 * <p>Guarantees: at-least-once delivery from the source, made effectively-once by idempotent sinks (raw
 * files named by their shard range, Redis members and alert ids derived from the readings, hourly
 * figures upserted from deduplicated state). A redelivered record may appear twice in the raw zone
 * (in two files), which cleanse counts as a duplicate.
 */
public final class IngestStreamJob extends AuditedJob<IngestStreamJob.Session, StreamCounts> {
    public static final String JOB = "ingest-stream";

    private final IngestStreamConfig config;

    public IngestStreamJob(Lake lake, IngestStreamConfig config, String args) {
        super(lake, JOB, args);
        this.config = config;
    }

    /** One run of the stream job: the source it reads and when the run started. */
    record Session(String source, Instant startedAt) {}

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

    /** A stream runs for hours: it takes the lake's writer lock only for its alert commits and its run row. */
    @Override
    protected LockScope lockScope() {
        return LockScope.COMMITS;
    }

    @Override
    protected Session select(List<JobRun> history) {
        return new Session(config.source().describe(), Instant.now());
    }

    @Override
    protected List<String> identity(Session session) {
        return List.of(
                session.source(), config.checkpointDir(), session.startedAt().toString());
    }

    @Override
    protected String describe(Session session) {
        return "reading " + session.source() + " every "
                + config.batchInterval().toMillis() + " ms; checkpoint " + config.checkpointDir();
    }

    @Override
    protected List<LakeTable> tables() {
        return List.of(lake.table(AlertsFlush.CONTRACT));
    }

    @Override
    protected StreamCounts none() {
        return StreamCounts.NONE;
    }

    @Override
    protected RunScope scope(Session session) {
        return new RunScope("stream", Optional.of(session.startedAt()), Optional.empty(), Optional.empty(), List.of());
    }

    @Override
    protected StreamCounts process(Session session, RunContext run) {
        SparkSession spark = lake.spark();
        if (!spark.sparkContext().getConf().getBoolean(WAL_CLOSE, false)) {
            throw new IllegalStateException("the SparkSession of ingest-stream must set " + WAL_CLOSE
                    + "=true before it starts (IngestStreamJob.session does)");
        }
        RedisSpeedLayer.checkReachable(config.redis());
        try (Connection c = config.warehouse().connect()) {
            SchemaSync.apply(c, config.warehouse().dialect(), StarSchema.defaults());
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "warehouse " + config.warehouse() + " cannot be reached: " + e.getMessage(), e);
        }
        config.source().prepareJvm();
        Map<String, String> hadoop = new LinkedHashMap<>();
        spark.sparkContext().hadoopConfiguration().forEach(e -> {
            if (e.getKey().startsWith("fs.")) {
                hadoop.put(e.getKey(), e.getValue());
            }
        });
        try (StreamSinks sinks = new StreamSinks(config, lake, hadoop, run)) {
            sinks.install();
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            JavaStreamingContext ssc = JavaStreamingContext.getOrCreate(config.checkpointDir(), () -> create(sc));
            ssc.start();
            run.progress().note("receiving (Redis and the warehouse answered)");
            Throwable failure = null;
            try {
                awaitStop(ssc, sinks);
                ssc.stop(false, true);
            } catch (Exception e) {
                ssc.stop(false, false);
                failure = sinks.failure() != null ? sinks.failure() : e;
            }
            if (failure == null) {
                failure = sinks.failure();
            }
            if (failure != null) {
                throw new JobFailedException("ingest-stream: " + JobFailedException.describe(failure), failure);
            }
            sinks.finish(Instant.now());
            return sinks.counts();
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
}
