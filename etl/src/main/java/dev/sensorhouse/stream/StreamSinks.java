package dev.sensorhouse.stream;

import dev.sensorhouse.events.RawEventValidator;
import dev.sensorhouse.runtime.Failpoints;
import dev.sensorhouse.runtime.RunContext;
import dev.sensorhouse.speed.AlertsFlush;
import dev.sensorhouse.speed.RedisSpeedLayer;
import dev.sensorhouse.speed.SpeedHourlyFlush;
import dev.sensorhouse.speed.SpeedKeys;
import dev.sensorhouse.speed.SpeedReading;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.WriterLock;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.streaming.Time;

/**
 * The sinks of one {@code ingest-stream} run and what one micro-batch does with them, in this order:
 *
 * <ol>
 *   <li>On the executors, per partition (one shard range): land the records in the raw zone
 *       ({@link RawBatchFiles}) and validate them ({@link BatchValidation}).
 *   <li>On the driver: apply the good readings to Redis ({@link RedisSpeedLayer}: readings, latest
 *       values, hourly figures, alert states and the alerts stream), and record each shard's progress.
 *   <li>Every {@code --warehouse-interval}: upsert the changed speed hours into the warehouse
 *       ({@link SpeedHourlyFlush}); a failure there is logged and retried at the next interval.
 *   <li>Every {@code --alerts-flush-interval}: copy new alerts into {@code speed/alerts}
 *       ({@link AlertsFlush}).
 * </ol>
 *
 * <p>A batch completes only when steps 1 and 2 did; any failure fails the batch, and every later batch
 * of the run fails at once without doing anything, so no batch after a failed one completes and Spark
 * Streaming's checkpoint keeps the failed one pending for the restart.
 *
 * <p>The checkpointed batch function is {@link #process}, a static method: it finds the run's sinks
 * in {@link #current}, so a restart from a checkpoint uses the options of the restart, not those of
 * the run that wrote the checkpoint.
 */
final class StreamSinks implements AutoCloseable {
    private static volatile StreamSinks current;

    private final IngestStreamConfig config;
    private final RawBatchFiles raw;
    private final BatchValidation validation;
    private final RedisSpeedLayer redis;
    private final SpeedHourlyFlush hourly;
    private final AlertsFlush alerts;
    private final Lake lake;
    private volatile Throwable failed;
    private long lastWarehouseFlush;
    private long lastAlertsFlush;
    final AtomicLong batches = new AtomicLong();
    final AtomicLong records = new AtomicLong();
    final AtomicLong linesRejected = new AtomicLong();
    final AtomicLong readings = new AtomicLong();
    final AtomicLong readingsAdded = new AtomicLong();
    final AtomicLong alertsRaised = new AtomicLong();
    final AtomicLong hourlyUpserts = new AtomicLong();
    final AtomicLong alertRows = new AtomicLong();
    final AtomicLong rawFiles = new AtomicLong();
    /** When the last batch with records that this run received (not one recovered from the checkpoint) ended. */
    volatile long lastRecordNanos;

    private long liveFromMillis = Long.MAX_VALUE;

    private final RunContext run;

    StreamSinks(IngestStreamConfig config, Lake lake, Map<String, String> hadoopSettings, RunContext run) {
        this.run = run;
        this.config = config;
        this.raw = new RawBatchFiles(lake.root(), hadoopSettings);
        this.validation = new BatchValidation(
                new RawEventValidator(config.catalog(), config.limits()),
                config.catalog(),
                config.limits().maxRecordBytes());
        this.redis = new RedisSpeedLayer(config.redis(), config.redisRetry(), config.alertsMaxLen());
        this.hourly = new SpeedHourlyFlush(config.warehouse());
        this.alerts = new AlertsFlush(lake);
        this.lake = lake;
    }

    void install() {
        liveFromMillis = System.currentTimeMillis();
        current = this;
    }

    /** The checkpointed output operation: one micro-batch through the current run's sinks. */
    static void process(JavaRDD<StreamRecord> rdd, Time time) {
        StreamSinks s = current;
        if (s == null) {
            throw new IllegalStateException("ingest-stream: a batch ran before the job installed its sinks");
        }
        s.batch(rdd, time);
    }

    /** What one partition gave: the files written and the validation outcome, plus its shard's progress. */
    record PartitionResult(
            List<String> files, BatchValidation.Outcome outcome, Map<String, String> lastSequences, long maxArrival)
            implements Serializable {}

    private void batch(JavaRDD<StreamRecord> rdd, Time time) {
        if (failed != null) {
            throw new IllegalStateException(
                    "ingest-stream: an earlier batch failed; this one is left for the restart", failed);
        }
        try {
            RawBatchFiles rawFiles = raw;
            BatchValidation v = validation;
            List<PartitionResult> parts = rdd.mapPartitions((Iterator<StreamRecord> it) -> {
                        List<StreamRecord> rs = new ArrayList<>();
                        it.forEachRemaining(rs::add);
                        if (rs.isEmpty()) {
                            return List.<PartitionResult>of().iterator();
                        }
                        long maxArrival = rs.stream()
                                .mapToLong(StreamRecord::arrivalMillis)
                                .max()
                                .orElse(0);
                        Map<String, String> lastSequences = new LinkedHashMap<>();
                        rs.forEach(r -> lastSequences.put(r.shardId(), r.sequenceNumber()));
                        return List.of(new PartitionResult(
                                        rawFiles.write(rs), v.validate(rs), lastSequences, maxArrival))
                                .iterator();
                    })
                    .collect();
            if (!parts.isEmpty()) {
                Failpoints.reach("ingest-stream.before-redis");
                toRedis(parts);
                if (time.milliseconds() >= liveFromMillis) {
                    lastRecordNanos = System.nanoTime();
                }
            }
            flushes(time);
            batches.incrementAndGet();
        } catch (RuntimeException | Error e) {
            failed = e;
            throw e;
        }
    }

    private void toRedis(List<PartitionResult> parts) {
        List<SpeedReading> batch = new ArrayList<>();
        Map<String, String> progress = new LinkedHashMap<>();
        long maxArrival = 0;
        for (PartitionResult p : parts) {
            batch.addAll(p.outcome().readings());
            records.addAndGet(p.outcome().records());
            linesRejected.addAndGet(p.outcome().linesRejected());
            rawFiles.addAndGet(p.files().size());
            progress.putAll(p.lastSequences());
            maxArrival = Math.max(maxArrival, p.maxArrival());
        }
        progress.put(SpeedKeys.PROGRESS_ARRIVAL, Long.toString(maxArrival));
        long horizon = maxArrival - RedisSpeedLayer.RETENTION.toMillis();
        RedisSpeedLayer.Applied applied = redis.apply(batch, horizon - Math.floorMod(horizon, 1000L), progress);
        readings.addAndGet(batch.size());
        readingsAdded.addAndGet(applied.readingsAdded());
        alertsRaised.addAndGet(applied.alertsRaised());
    }

    private void flushes(Time time) {
        long now = time.milliseconds();
        if (now - lastWarehouseFlush >= config.warehouseInterval().toMillis()) {
            lastWarehouseFlush = now;
            flushWarehouse(Instant.ofEpochMilli(now));
        }
        if (now - lastAlertsFlush >= config.alertsFlushInterval().toMillis()) {
            lastAlertsFlush = now;
            flushAlerts(Duration.ZERO);
        }
    }

    private void flushWarehouse(Instant at) {
        try {
            hourlyUpserts.addAndGet(hourly.flush(redis, at));
        } catch (java.sql.SQLException e) {
            run.progress()
                    .note("speed_reading_hourly upsert into " + config.warehouse() + " failed (" + e.getMessage()
                            + "); the changed hours stay queued for the next one");
        }
    }

    /**
     * Copies new alerts into {@code speed/alerts} under the lake's writer lock (one writer per lake). A
     * stream cannot hold the lock for its lifetime, so it takes it for each flush; when another job
     * holds it and {@code wait} passes, the alerts stay in Redis for the next flush.
     */
    private void flushAlerts(Duration wait) {
        try {
            alertRows.addAndGet(run.exclusive(wait, () -> alerts.flush(redis)));
        } catch (WriterLock.LockedException busy) {
            run.progress()
                    .note("the lake's writer lock is held (" + busy.getMessage()
                            + "); new alerts stay in Redis until the next flush");
        }
    }

    /** The last flushes, after the streaming context stopped. */
    void finish(Instant at) {
        if (failed == null) {
            flushWarehouse(at);
            flushAlerts(lake.lockWait());
        }
    }

    /** What the run did so far. */
    StreamCounts counts() {
        return new StreamCounts(
                batches.get(),
                records.get(),
                rawFiles.get(),
                linesRejected.get(),
                readings.get(),
                readingsAdded.get(),
                alertsRaised.get(),
                alertRows.get(),
                hourlyUpserts.get());
    }

    Throwable failure() {
        return failed;
    }

    @Override
    public void close() {
        redis.close();
        if (current == this) {
            current = null;
        }
    }
}
