package dev.sensorhouse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.RedisServer;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.testing.StreamJobs;
import dev.sensorhouse.testing.StreamServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The stream end to end, against kinesalite, dynalite and a real redis-server: simulated devices with
 * heavy faults go through {@code simulate --to-kinesis}, {@code ingest-stream}, {@code run}, and the
 * speed layer is compared with the batch layer and with oracles written here.
 *
 * <p>One scenario, shared by the assertions (the KCL's start-up costs about 20 s per job):
 *
 * <ol>
 *   <li>Set A (40 devices, 2 minutes of the previous hour, heavy faults) is simulated to files in a
 *       reference lake and cleansed there, and the same simulation is put into the stream.
 *   <li>Job 1 reads it and stops when idle; {@code run} cleanses, rolls up and loads the warehouse.
 *   <li>Job 2 starts on the same checkpoints; Redis is killed; set B (the current hour, no faults) is
 *       put; job 2 retries until Redis is back, then finishes set B and stops when idle.
 *   <li>An incremental cleanse takes set B into the batch layer for the comparisons.
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamEndToEndTest extends SparkTestBase {
    private static final String STREAM = "e2e";
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    static Path dir;

    private Path lake;
    private Path reference;
    private Path catalogFile;
    private List<String> linesA;
    private List<String> linesB;
    private List<Row> cleansedAfterRun;
    private List<Row> referenceCleansed;
    private List<Row> quarantineAfterRun;
    private List<Row> referenceQuarantine;
    private List<Row> cleansedFinal;
    private Cli.Outcome reconcile;
    private String job1Out;
    private String job2Err;
    private int job2Exit;

    @BeforeAll
    void streamTwoSetsThroughTheLayers() throws Exception {
        spark();
        lake = dir.resolve("lake");
        reference = dir.resolve("reference");
        RedisServer redis = RedisServer.shared();
        try (Jedis j = new Jedis(java.net.URI.create(redis.url()))) {
            j.flushAll();
        }
        StreamJobs.createStream(STREAM, 2);
        Instant now = Instant.now();
        String startA =
                now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofMinutes(10)).toString();
        String[] setA = {
            "--devices",
            "40",
            "--start",
            startA,
            "--duration",
            "2m",
            "--faults",
            "heavy",
            "--seed",
            "7",
            "--registry",
            "false"
        };

        // 1. the reference: the file simulator and a cleanse of its files
        Cli.succeed(concat(new String[] {"simulate", "--lake", reference.toString()}, setA));
        linesA = StreamJobs.rawLines(reference);
        catalogFile = StreamJobs.catalogWithThresholds(
                dir.resolve("catalog.json"), "temperature", 8.0, medianTemperature(linesA));
        Cli.succeed("cleanse", "--lake", reference.toString(), "--metrics-catalog", catalogFile.toString());
        referenceCleansed = content(reference, "cleansed/readings");
        referenceQuarantine = quarantine(reference);

        // 2. set A through the stream, job 1, then the batch
        try (ChildProcess job1 = job("j1", "6s")) {
            StreamJobs.credentialsForThisJvm();
            Cli.succeed(concat(
                    new String[] {
                        "simulate",
                        "--lake",
                        dir.resolve("scratch-a").toString(),
                        "--to-kinesis",
                        STREAM,
                        "--endpoint",
                        StreamServices.shared().kinesisEndpoint(),
                        "--rate",
                        "5000"
                    },
                    setA));
            assertThat(job1.waitFor(JOB_TIMEOUT)).as(job1.describe()).isZero();
            job1Out = job1.stdout();
        }
        Cli.succeed("run", "--lake", lake.toString(), "--metrics-catalog", catalogFile.toString());
        cleansedAfterRun = content(lake, "cleansed/readings");
        quarantineAfterRun = quarantine(lake);
        reconcile = Cli.succeed("reconcile", "--lake", lake.toString());

        // 3. set B while Redis is away for a while
        String startB = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        // Job 2 idles longer: its shards' records come after Redis is back and the KCL's retries
        try (ChildProcess job2 = job("j2", "20s")) {
            assertThat(job2.awaitStderr("[ingest-stream] receiving", Duration.ofMinutes(2)))
                    .as(job2.describe())
                    .isTrue();
            redis.stop();
            Cli.succeed(
                    "simulate",
                    "--lake",
                    dir.resolve("scratch-b").toString(),
                    "--devices",
                    "40",
                    "--start",
                    startB,
                    "--duration",
                    "1m",
                    "--faults",
                    "none",
                    "--seed",
                    "8",
                    "--registry",
                    "false",
                    "--to-kinesis",
                    STREAM,
                    "--endpoint",
                    StreamServices.shared().kinesisEndpoint(),
                    "--rate",
                    "5000");
            boolean retried = job2.awaitStderr("does not answer", Duration.ofMinutes(2));
            redis.start();
            assertThat(retried).as(job2.describe()).isTrue();
            job2Exit = job2.waitFor(JOB_TIMEOUT);
            job2Err = job2.stderr();
        }
        linesB = StreamJobs.rawLines(dir.resolve("scratch-b"));

        // 4. set B into the batch layer
        Cli.succeed("cleanse", "--lake", lake.toString(), "--metrics-catalog", catalogFile.toString());
        cleansedFinal = content(lake, "cleansed/readings");
    }

    @Test
    void everyRecordPutIsOneRawLine() {
        List<String> put = new ArrayList<>(linesA);
        put.addAll(linesB);
        List<String> raw = StreamJobs.rawLines(lake);
        assertThat(raw.size())
                .as("raw lines of %d put; job 2's stderr:\n%s", put.size(), job2Err)
                .isEqualTo(put.size());
        assertThat(raw).containsExactlyInAnyOrderElementsOf(put);
        assertThat(job1Out).containsPattern("records\\s+" + String.format("%,d", linesA.size()) + "\n");
    }

    @Test
    void runAfterTheStreamGivesTheCleansedTablesOfTheFileSimulator() {
        assertThat(cleansedAfterRun).isNotEmpty().containsExactlyInAnyOrderElementsOf(referenceCleansed);
        assertThat(quarantineAfterRun).isNotEmpty().containsExactlyInAnyOrderElementsOf(referenceQuarantine);
    }

    @Test
    void redisHoldsExactlyTheValidReadings() {
        assertThat(job2Exit).as(job2Err).isZero();
        try (Jedis j = new Jedis(java.net.URI.create(RedisServer.shared().url()))) {
            assertThat(SpeedLayerState.readingsInRedis(j)).isEqualTo(SpeedLayerState.readingsOf(cleansedFinal));
        }
    }

    @Test
    void alertsEqualThoseComputedFromTheSameReadings() {
        Map<String, Integer> putOrder = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        List<String> put = new ArrayList<>(linesA);
        put.addAll(linesB);
        for (int i = 0; i < put.size(); i++) {
            try {
                JsonNode e = json.readTree(put.get(i));
                if (e != null && e.path("event_id").isTextual()) {
                    putOrder.putIfAbsent(e.path("event_id").asText(), i);
                }
            } catch (java.io.IOException malformed) {
                // a malformed line has no reading
            }
        }
        List<String> expected =
                SpeedLayerState.expectedAlerts(cleansedFinal, putOrder, MetricCatalog.load(catalogFile));
        assertThat(expected).hasSizeGreaterThan(10);
        try (Jedis j = new Jedis(java.net.URI.create(RedisServer.shared().url()))) {
            assertThat(SpeedLayerState.alertIdsInRedis(j)).containsExactlyInAnyOrderElementsOf(expected);
        }
        List<String> inLake = spark()
                .read()
                .format("delta")
                .load(lake.resolve("speed/alerts").toString())
                .select("alert_id")
                .collectAsList()
                .stream()
                .map(r -> r.getString(0))
                .toList();
        assertThat(inLake).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void speedHoursTheBatchCoveredReconcile() {
        assertThat(reconcile.out())
                .containsPattern("reconcile: [1-9][0-9,]* speed hours covered by the batch, [0-9,]+ equal, 0 differ");
    }

    @Test
    void liveViewShowsBatchHoursThenSpeedHoursWithoutOverlapOrGap() throws Exception {
        String device = cleansedFinal.stream()
                .filter(r -> r.getString(1).equals("temperature"))
                .map(r -> r.getString(0))
                .filter(d -> linesB.stream().anyMatch(l -> l.contains("\"" + d + "\"")))
                .findFirst()
                .orElseThrow();
        Map<Instant, long[]> expected = new HashMap<>(); // hour -> count
        for (Row r : cleansedFinal) {
            if (r.getString(0).equals(device) && r.getString(1).equals("temperature")) {
                expected.computeIfAbsent(r.getTimestamp(2).toInstant().truncatedTo(ChronoUnit.HOURS), h -> new long[1])[
                        0]++;
            }
        }
        List<String> layers = new ArrayList<>();
        Set<Instant> hours = new TreeSet<>();
        Map<Instant, Long> counts = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake.resolve("warehouse.duckdb"));
                var s = c.prepareStatement("SELECT hour_start, layer, value_count FROM v_reading_hourly_live"
                        + " WHERE device_id = ? AND metric = 'temperature' ORDER BY hour_start")) {
            s.setString(1, device);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Instant hour =
                            rs.getObject(1, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC);
                    assertThat(hours.add(hour)).as("hour %s appears once", hour).isTrue();
                    layers.add(rs.getString(2));
                    counts.put(hour, rs.getLong(3));
                }
            }
        }
        assertThat(layers).startsWith("batch").endsWith("speed");
        assertThat(String.join(",", layers)).matches("(batch,)+speed(,speed)*");
        assertThat(hours).containsExactlyElementsOf(new TreeSet<>(expected.keySet()));
        expected.forEach((hour, n) ->
                assertThat(counts.get(hour)).as("readings of %s", hour).isEqualTo(n[0]));
    }

    @Test
    void aRestartedJobResumesWhereTheLastOneStoppedAndRetriesRedis() {
        assertThat(job2Err).contains("retrying in");
        assertThat(job2Err).doesNotContain("FAILED");
        // Both runs went through the run lifecycle: a SUCCEEDED row each, with their counts.
        java.util.List<dev.sensorhouse.zones.JobRun> runs = dev.sensorhouse.zones.Lake.at(spark(), lake.toString())
                .jobRuns()
                .succeeded("ingest-stream");
        assertThat(runs).hasSize(2);
        assertThat(runs).allMatch(r -> r.count("batches") > 0 && r.mode().equals("stream"));
        assertThat(runs.stream().mapToLong(r -> r.count("records")).sum()).isPositive();
    }

    private ChildProcess job(String name, String stopWhenIdle) {
        return StreamJobs.start(
                dir.resolve(name),
                STREAM,
                "e2e-app",
                List.of(),
                "--lake",
                lake.toString(),
                "--metrics-catalog",
                catalogFile.toString(),
                "--warehouse-interval",
                "2s",
                "--alerts-flush-interval",
                "5s",
                "--stop-when-idle",
                stopWhenIdle,
                "--run-for",
                "200s");
    }

    private List<Row> content(Path lakeRoot, String table) {
        return spark().read()
                .format("delta")
                .load(lakeRoot.resolve(table).toString())
                .selectExpr(
                        "device_id",
                        "metric",
                        "event_ts",
                        "value",
                        "event_id",
                        "unit",
                        "lat",
                        "lon",
                        "battery_v",
                        "firmware",
                        "seq")
                .collectAsList();
    }

    private List<Row> quarantine(Path lakeRoot) {
        return spark().read()
                .format("delta")
                .load(lakeRoot.resolve("quarantine/events").toString())
                .selectExpr("reason_code", "raw_line", "coalesce(metric, '')", "scope")
                .collectAsList();
    }

    /** The median temperature of the lines, so the test catalog's alert_high is crossed often. */
    private static double medianTemperature(List<String> lines) {
        ObjectMapper json = new ObjectMapper();
        List<Double> values = new ArrayList<>();
        for (String line : lines) {
            try {
                JsonNode t = json.readTree(line).path("metrics").path("temperature");
                if (t.isNumber() && t.asDouble() > -40 && t.asDouble() < 60) {
                    values.add(t.asDouble());
                }
            } catch (Exception malformed) {
                // not an event
            }
        }
        values.sort(null);
        return values.get(values.size() / 2);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
