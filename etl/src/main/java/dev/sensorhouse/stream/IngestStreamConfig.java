package dev.sensorhouse.stream;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.events.EventLimits;
import dev.sensorhouse.warehouse.WarehouseTarget;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code ingest-stream} job's configuration, parsed and validated once.
 *
 * @param lake lake root (raw zone, {@code speed/alerts}, {@code control/job_runs})
 * @param source where the records come from (a Kinesis stream through the KCL 1.x receiver)
 * @param batchInterval the micro-batch length; default 1 s
 * @param checkpointDir Spark Streaming's checkpoint (batch metadata and the received blocks' sequence
 *     ranges); default {@code LAKE/_checkpoints/ingest-stream/<checkpoint app>}. A restart with the
 *     same folder recovers the unfinished batches. It must be a file system with atomic rename and
 *     flush (local, HDFS; on S3 the write-ahead log closes each file after writing)
 * @param redis the speed layer's Redis, {@code redis://[user:password@]HOST:PORT[/DB]}; default
 *     {@code redis://127.0.0.1:6379}
 * @param redisRetry how long a batch retries Redis (with backoff) before the job fails; default 60 s
 * @param warehouse where {@code speed_reading_hourly} is upserted; default {@code LAKE/warehouse.duckdb}
 * @param warehouseInterval how often the changed speed hours are upserted; default 10 s
 * @param alertsFlushInterval how often the alerts stream is copied to {@code speed/alerts}; default 60 s
 * @param alertsMaxLen the alerts stream's approximate length cap; default 1,000,000
 * @param catalog the metric catalog (validation, canonical units, alert thresholds)
 * @param limits the cleanse job's limits, so both layers judge a line alike
 * @param runFor stop after this long (demo, tests); empty: run until stopped
 * @param stopWhenIdle stop once this run has received records and none for this long (batches recovered
 *     from the checkpoint do not count); empty: never
 */
public record IngestStreamConfig(
        String lake,
        StreamSource source,
        Duration batchInterval,
        String checkpointDir,
        URI redis,
        Duration redisRetry,
        WarehouseTarget warehouse,
        Duration warehouseInterval,
        Duration alertsFlushInterval,
        long alertsMaxLen,
        MetricCatalog catalog,
        EventLimits limits,
        Optional<Duration> runFor,
        Optional<Duration> stopWhenIdle) {

    public IngestStreamConfig {
        if (batchInterval.toMillis() < 100) {
            throw new IllegalArgumentException("--batch-interval must be at least 100ms, got " + batchInterval);
        }
        if (!"redis".equals(redis.getScheme()) && !"rediss".equals(redis.getScheme())) {
            throw new IllegalArgumentException(
                    "--redis must be redis://HOST:PORT or rediss://HOST:PORT, got '" + redis + "'");
        }
        if (redis.getHost() == null) {
            throw new IllegalArgumentException("--redis has no host: '" + redis + "'");
        }
        if (redisRetry.isNegative()) {
            throw new IllegalArgumentException("--redis-retry must not be negative, got " + redisRetry);
        }
        if (warehouseInterval.isNegative() || warehouseInterval.isZero()) {
            throw new IllegalArgumentException("--warehouse-interval must be positive, got " + warehouseInterval);
        }
        if (alertsFlushInterval.isNegative() || alertsFlushInterval.isZero()) {
            throw new IllegalArgumentException("--alerts-flush-interval must be positive, got " + alertsFlushInterval);
        }
        if (alertsMaxLen < 1000) {
            throw new IllegalArgumentException("--alerts-maxlen must be at least 1000, got " + alertsMaxLen);
        }
    }
}
