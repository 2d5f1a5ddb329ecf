package dev.sensorhouse.cli;

import dev.sensorhouse.speed.RedisSpeedLayer;
import dev.sensorhouse.stream.IngestStreamConfig;
import dev.sensorhouse.stream.IngestStreamJob;
import dev.sensorhouse.stream.kinesis.InitialPosition;
import dev.sensorhouse.stream.kinesis.KinesisReceiverSource;
import dev.sensorhouse.warehouse.WarehouseTarget;
import dev.sensorhouse.zones.Lake;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** {@code sensorhouse ingest-stream}: Kinesis into the raw zone and the speed layer. */
final class IngestStreamCommand implements Command {
    static final Option STREAM = Option.value("stream", "NAME", null, "Kinesis stream to read (required)");
    static final Option REGION = Option.value("region", "NAME", "us-east-1", "the stream's AWS region");
    static final Option ENDPOINT =
            Option.value("endpoint", "URL", null, "Kinesis endpoint (default: the region's; e.g. an emulator)");
    static final Option REDIS = Option.value("redis", "URL", "redis://127.0.0.1:6379", "the speed layer's Redis");

    @Override
    public String name() {
        return "ingest-stream";
    }

    @Override
    public String summary() {
        return "read a Kinesis stream into the raw zone and the speed layer (Redis, speed_reading_hourly, alerts)";
    }

    @Override
    public List<Option> options() {
        List<Option> o = new ArrayList<>(
                List.of(
                        CommonOptions.LAKE,
                        STREAM,
                        REGION,
                        ENDPOINT,
                        Option.value(
                                "dynamodb-endpoint",
                                "URL",
                                null,
                                "DynamoDB endpoint of the KCL's lease table, for emulators only (https://HOST:PORT; turns certificate checks off)"),
                        Option.value(
                                "initial-position",
                                "LATEST|TRIM_HORIZON|AT_TIMESTAMP",
                                "LATEST",
                                "where a new consumer starts (a checkpointed one resumes)"),
                        Option.value("initial-timestamp", "ISO", null, "with --initial-position AT_TIMESTAMP"),
                        Option.value("batch-interval", "DURATION", "1s", "micro-batch length"),
                        Option.value(
                                "checkpoint-app",
                                "NAME",
                                "sensorhouse-ingest-stream",
                                "KCL application name: its DynamoDB lease and checkpoint table"),
                        Option.value(
                                "checkpoint-dir",
                                "DIR",
                                null,
                                "Spark Streaming checkpoint (default: LAKE/_checkpoints/ingest-stream/<checkpoint-app>)"),
                        REDIS,
                        Option.value(
                                "redis-retry",
                                "DURATION",
                                "60s",
                                "how long a batch retries Redis before the job fails"),
                        CommonOptions.WAREHOUSE,
                        CommonOptions.DIALECT,
                        CommonOptions.PASSWORD_SECRET,
                        Option.value(
                                "warehouse-interval", "DURATION", "10s", "how often changed speed hours are upserted"),
                        Option.value(
                                "alerts-flush-interval",
                                "DURATION",
                                "60s",
                                "how often new alerts are written to the lake table speed/alerts"),
                        Option.value(
                                "alerts-maxlen", "N", "1000000", "approximate length cap of the Redis alerts stream"),
                        Option.value("run-for", "DURATION", null, "stop after this long (default: run until stopped)"),
                        Option.value(
                                "stop-when-idle",
                                "DURATION",
                                null,
                                "stop once this run has received records and none for this long (batches recovered from the checkpoint do not count; after a crash the KCL takes the dead worker's leases one per 20 s, so keep it above 30 s then)")));
        o.addAll(List.of(
                CommonOptions.CATALOG,
                CommonOptions.MAX_RECORD_BYTES,
                CommonOptions.MAX_FUTURE_SKEW,
                CommonOptions.MAX_LATENESS));
        return o;
    }

    @Override
    public int run(Options o) throws Exception {
        IngestStreamConfig config = config(o);
        RedisSpeedLayer.checkReachable(config.redis()); // before Spark starts: fail fast, naming Redis
        Lake lake = Lake.at(IngestStreamJob.session("sensorhouse-ingest-stream"), config.lake());
        System.out.print(new IngestStreamJob(lake, config, Main.argsOf(o)).run().summary());
        return 0;
    }

    static IngestStreamConfig config(Options o) {
        String lake = CommonOptions.lakeRoot(o);
        var catalog = CommonOptions.metricCatalog("ingest-stream", o);
        var limits = CommonOptions.limits("ingest-stream", o);
        try {
            String app = o.string("checkpoint-app");
            var batch = o.duration("batch-interval");
            KinesisReceiverSource source = new KinesisReceiverSource(
                    o.string("stream"),
                    o.string("region"),
                    o.optional("endpoint"),
                    o.optional("dynamodb-endpoint"),
                    InitialPosition.parse(
                            o.string("initial-position"),
                            o.optional("initial-timestamp").orElse(null)),
                    app,
                    batch.toMillis());
            WarehouseTarget target = LoadWarehouseCommand.target(o, lake);
            return new IngestStreamConfig(
                    lake,
                    source,
                    batch,
                    o.optional("checkpoint-dir").orElse(lake + "/_checkpoints/ingest-stream/" + app),
                    redisUrl(o.string("redis")),
                    o.duration("redis-retry"),
                    target,
                    o.duration("warehouse-interval"),
                    o.duration("alerts-flush-interval"),
                    o.longValue("alerts-maxlen"),
                    catalog,
                    limits,
                    o.optional("run-for").map(v -> Options.parseDuration("ingest-stream", "run-for", v)),
                    o.optional("stop-when-idle").map(v -> Options.parseDuration("ingest-stream", "stop-when-idle", v)));
        } catch (IllegalArgumentException e) {
            throw new UsageException("ingest-stream: " + e.getMessage(), e);
        }
    }

    static URI redisUrl(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "--redis must be a URL such as redis://127.0.0.1:6379, got '" + text + "'");
        }
    }
}
