package dev.sensorhouse.cli;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.simulate.SimulateConfig;
import dev.sensorhouse.simulate.Simulator;
import dev.sensorhouse.speed.SpeedReader;
import dev.sensorhouse.stream.IngestStreamConfig;
import dev.sensorhouse.stream.IngestStreamJob;
import dev.sensorhouse.stream.StreamCounts;
import dev.sensorhouse.stream.emulation.LocalStreamServices;
import dev.sensorhouse.stream.kinesis.KinesisProducer;
import dev.sensorhouse.stream.kinesis.RawZonePublisher;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.RawZone;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code sensorhouse demo --stream}: starts kinesalite, dynalite and a redis-server (as the tests do;
 * they must be installed, {@code tests/run.sh} does), streams the last four minutes of 100 simulated
 * probes (default faults; the temperature alert at their median) through {@code ingest-stream} in about a minute, and prints the alerts
 * raised, one device's live readings and the live view's latest hours of it.
 */
final class StreamDemo {
    private static final String STREAM = "sensorhouse-demo";

    private StreamDemo() {}

    /**
     * The built-in catalog with the temperature alert_high at the median temperature of the simulated
     * lines, so that a few minutes of probes cross it often (the shipped 45 °C is rarely reached).
     */
    static MetricCatalog demoCatalog(Path events) throws java.io.IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<Double> values = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.walk(events)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                for (String line : java.nio.file.Files.readAllLines(f)) {
                    try {
                        var t = json.readTree(line).path("metrics").path("temperature");
                        if (t.isNumber() && Math.abs(t.asDouble()) < 60) {
                            values.add(t.asDouble());
                        }
                    } catch (java.io.IOException malformed) {
                        // a malformed line has no temperature
                    }
                }
            }
        }
        values.sort(null);
        double median = values.isEmpty() ? 45 : values.get(values.size() / 2);
        try (var in = MetricCatalog.class.getClassLoader().getResourceAsStream(MetricCatalog.DEFAULT_RESOURCE)) {
            var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(in);
            ((com.fasterxml.jackson.databind.node.ObjectNode)
                            root.path("metrics").path("temperature"))
                    .put("alert_high", median);
            return MetricCatalog.parse(
                    json.writeValueAsString(root), "the demo catalog (temperature alert_high " + median + ")");
        }
    }

    static int run(Path lake, long seed) throws Exception {
        Path bin = LocalStreamServices.find(Optional.empty())
                .orElseThrow(() -> new UsageException("demo --stream: kinesalite and dynalite not found under "
                        + LocalStreamServices.INSTALL_DIR + "; install them with tests/run.sh (npm) or "
                        + "npm install --prefix .services kinesalite@3.3.3 dynalite@4.0.0"));
        Path logs = lake.resolve("_services");
        try (LocalStreamServices services = LocalStreamServices.start(bin, logs)) {
            String redis = services.startRedis(logs);
            System.setProperty("aws.accessKeyId", "demo");
            System.setProperty("aws.secretKey", "demo");
            System.out.println("== local emulation: kinesis " + services.kinesisEndpoint() + ", dynamodb "
                    + services.dynamoDbEndpoint() + ", " + redis);
            Path scratch = lake.resolve("_producer");
            SimulateConfig sim = new SimulateConfig(
                    scratch.toString(),
                    100,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(4)),
                    Duration.ofMinutes(4),
                    Duration.ofSeconds(5),
                    SimulateConfig.Profile.AGRICULTURE,
                    SimulateConfig.FaultLevel.DEFAULT,
                    seed,
                    false,
                    1,
                    false);
            new Simulator(sim).run();
            IngestStreamConfig config = services.ingestConfig(
                    lake,
                    STREAM,
                    "sensorhouse-demo",
                    redis,
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(10),
                    demoCatalog(scratch.resolve(RawZone.EVENTS_DIR)),
                    Duration.ofMinutes(4),
                    Duration.ofSeconds(5));
            // the KCL's emulator endpoints are JVM-wide AWS SDK v1 settings: set before any SDK client exists
            config.source().prepareJvm();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (KinesisProducer producer =
                    new KinesisProducer(STREAM, "us-east-1", Optional.of(services.kinesisEndpoint()))) {
                producer.createStreamIfMissing(2);
                Lake tables = Lake.at(IngestStreamJob.session("sensorhouse-demo-stream"), config.lake());
                Future<JobResult<StreamCounts>> job =
                        pool.submit(() -> new IngestStreamJob(tables, config, "demo --stream").run());
                System.out.println(
                        "== streaming 4 minutes of 100 probes (about a minute at 100 records/s) into " + STREAM);
                long sent = new RawZonePublisher(producer, 100).publish(scratch.resolve(RawZone.EVENTS_DIR));
                System.out.println("sent " + sent + " records; ingest-stream stops 5 s after the last one");
                JobResult<StreamCounts> result = job.get();
                System.out.print(result.summary());
            } finally {
                pool.shutdownNow();
            }
            try (SpeedReader reader = new SpeedReader(URI.create(redis))) {
                List<SpeedReader.Alert> alerts = reader.alerts(0, 10);
                System.out.println();
                System.out.println("== alerts (newest 10; ./sensorhouse alerts --redis " + redis + ")");
                alerts.forEach(a -> System.out.println("  " + a.raisedAt() + "  "
                        + a.fields().get("device_id") + " "
                        + a.fields().get("metric") + " " + a.fields().get("previous_state") + " -> "
                        + a.fields().get("state") + " (value " + a.fields().get("value") + ", threshold "
                        + a.fields().get("threshold") + ")"));
                String device = alerts.isEmpty()
                        ? reader.devices(1).stream().findFirst().orElse("-")
                        : alerts.get(0).fields().get("device_id");
                System.out.println();
                System.out.println("== live readings of " + device + " (./sensorhouse live --device " + device + ")");
                reader.latest(device)
                        .forEach((m, r) -> System.out.println(
                                "  latest " + m + " = " + r.value() + " at " + Instant.ofEpochMilli(r.tsMillis())));
                List<SpeedReader.Reading> readings = reader.readings(device, Optional.of("temperature"), 0);
                readings.stream()
                        .skip(Math.max(0, readings.size() - 5))
                        .forEach(r -> System.out.println(
                                "  " + Instant.ofEpochMilli(r.tsMillis()) + " temperature " + r.value()));
                System.out.println();
                System.out.println("== live view v_reading_hourly_live, latest hours of " + device + " (speed layer)");
                try (Connection c = config.warehouse().connect()) {
                    System.out.print(QueryTable.run(
                            c,
                            "SELECT hour_start, metric, layer, value_count, ROUND(value_avg, 2) AS avg"
                                    + " FROM v_reading_hourly_live WHERE device_id = ? ORDER BY hour_start DESC, metric LIMIT 10",
                            new String[] {device}));
                }
            }
        }
        return 0;
    }
}
