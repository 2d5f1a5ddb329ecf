package dev.sensorhouse.stream;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * {@code kill -9} of {@code ingest-stream} in the middle of a batch (its raw files written, Redis not yet
 * touched: failpoint {@code ingest-stream.before-redis}), more records put while it is down, then a
 * restart on the same checkpoints: nothing is lost and nothing counts twice.
 */
class StreamCrashTest extends SparkTestBase {
    private static final String STREAM = "crash";
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @Test
    void aJobKilledMidBatchAndRestartedLosesNothingAndCountsNothingTwice() throws Exception {
        spark();
        Path lake = tmp.resolve("lake");
        Path reference = tmp.resolve("reference");
        try (Jedis j = new Jedis(java.net.URI.create(RedisServer.shared().url()))) {
            j.flushAll();
        }
        StreamJobs.createStream(STREAM, 2);
        StreamJobs.credentialsForThisJvm();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String[] setA = {
            "--devices", "20", "--start", now.toString(), "--duration", "1m", "--seed", "11", "--registry", "false"
        };
        String[] setB = {
            "--devices",
            "20",
            "--start",
            now.plusSeconds(60).toString(),
            "--duration",
            "1m",
            "--seed",
            "12",
            "--registry",
            "false"
        };

        try (ChildProcess job1 = StreamJobs.start(
                tmp.resolve("j1"),
                STREAM,
                "crash-app",
                List.of("-Dsensorhouse.failpoint=ingest-stream.before-redis"),
                "--lake",
                lake.toString())) {
            put(tmp.resolve("scratch-a"), setA);
            assertThat(job1.awaitStderr("FAILPOINT ingest-stream.before-redis", Duration.ofMinutes(2)))
                    .as(job1.describe())
                    .isTrue();
            assertThat(job1.killHard()).isEqualTo(ChildProcess.SIGKILL_EXIT);
        }
        assertThat(StreamJobs.rawLines(lake))
                .as("the killed batch had written its raw files")
                .isNotEmpty();
        put(tmp.resolve("scratch-b"), setB);
        String job2Output;
        try (ChildProcess job2 = StreamJobs.start(
                tmp.resolve("j2"),
                STREAM,
                "crash-app",
                List.of(),
                "--lake",
                lake.toString(),
                "--stop-when-idle",
                "35s", // above the KCL's lease take-over (a dead worker's leases expire after 10 s; one is taken per 20
                // s)
                "--run-for",
                "200s",
                "--warehouse-interval",
                "2s")) {
            assertThat(job2.waitFor(TIMEOUT)).as(job2.describe()).isZero();
            job2Output = job2.stdout();
        }

        // the uninterrupted reference: the same simulations as files, cleansed
        Cli.succeed(concat(new String[] {"simulate", "--lake", reference.toString()}, setA));
        Cli.succeed(concat(
                new String[] {"simulate", "--lake", reference.resolve("b").toString()}, setB));
        List<String> put = StreamJobs.rawLines(reference);
        put.addAll(StreamJobs.rawLines(reference.resolve("b")));
        Cli.succeed("cleanse", "--lake", lake.toString());

        // raw zone: every record put is there; a second copy of a line is a redelivery cleanse counted
        List<String> raw = StreamJobs.rawLines(lake);
        assertThat(new java.util.HashSet<>(raw))
                .as("distinct raw lines (%d put); restarted job: %s", put.size(), job2Output)
                .isEqualTo(new java.util.HashSet<>(put));
        Map<String, Long> copies = new HashMap<>();
        raw.forEach(l -> copies.merge(l, 1L, Long::sum));
        put.forEach(l -> copies.merge(l, -1L, Long::sum));
        assertThat(copies.values()).allMatch(n -> n >= 0);
        long extra = copies.values().stream().mapToLong(Long::longValue).sum();
        List<Row> run = spark().read()
                .format("delta")
                .load(lake.resolve("control/job_runs").toString())
                .where("job = 'cleanse'")
                .collectAsList();
        assertThat(run).hasSize(1);
        Map<String, Long> counts = run.get(0).getJavaMap(run.get(0).fieldIndex("counts"));
        assertThat(counts.get("lines_in")).isEqualTo((long) raw.size());
        assertThat(counts.get("duplicates")).isGreaterThanOrEqualTo(extra);

        // cleansed: the same readings as the file simulator's
        List<Row> cleansed = spark().read()
                .format("delta")
                .load(lake.resolve("cleansed/readings").toString())
                .selectExpr("device_id", "metric", "event_ts", "value", "event_id")
                .collectAsList();
        Cli.succeed("cleanse", "--lake", reference.toString());
        // (the reference's second set sits in its own lake: compare the union)
        List<Row> expected = new ArrayList<>(spark().read()
                .format("delta")
                .load(reference.resolve("cleansed/readings").toString())
                .selectExpr("device_id", "metric", "event_ts", "value", "event_id")
                .collectAsList());
        Cli.succeed("cleanse", "--lake", reference.resolve("b").toString());
        expected.addAll(spark().read()
                .format("delta")
                .load(reference.resolve("b/cleansed/readings").toString())
                .selectExpr("device_id", "metric", "event_ts", "value", "event_id")
                .collectAsList());
        assertThat(cleansed).containsExactlyInAnyOrderElementsOf(expected);

        // Redis and speed hourly: what an uninterrupted run leaves
        try (Jedis j = new Jedis(java.net.URI.create(RedisServer.shared().url()))) {
            assertThat(SpeedLayerState.readingsInRedis(j)).isEqualTo(SpeedLayerState.readingsOf(cleansed));
        }
        Map<String, double[]> hourly = new HashMap<>();
        for (Row r : cleansed) {
            String key = r.getString(0) + "|" + r.getString(1) + "|"
                    + r.getTimestamp(2).toInstant().truncatedTo(ChronoUnit.HOURS);
            double[] a = hourly.computeIfAbsent(key, k -> new double[2]);
            a[0]++;
            a[1] += r.getDouble(3);
        }
        Map<String, double[]> speed = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake.resolve("warehouse.duckdb"));
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT device_id, metric, hour_start, value_count, value_sum FROM speed_reading_hourly")) {
            while (rs.next()) {
                String key = rs.getString(1) + "|" + rs.getString(2) + "|"
                        + rs.getObject(3, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC);
                speed.put(key, new double[] {rs.getLong(4), rs.getDouble(5)});
            }
        }
        assertThat(speed.keySet()).isEqualTo(hourly.keySet());
        hourly.forEach((k, v) -> {
            assertThat(speed.get(k)[0]).as("count of %s", k).isEqualTo(v[0]);
            assertThat(speed.get(k)[1])
                    .as("sum of %s", k)
                    .isCloseTo(v[1], org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(v[1]))));
        });
    }

    private static void put(Path scratch, String[] set) {
        Cli.succeed(concat(
                new String[] {
                    "simulate",
                    "--lake",
                    scratch.toString(),
                    "--to-kinesis",
                    STREAM,
                    "--endpoint",
                    StreamServices.shared().kinesisEndpoint(),
                    "--rate",
                    "5000"
                },
                set));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
