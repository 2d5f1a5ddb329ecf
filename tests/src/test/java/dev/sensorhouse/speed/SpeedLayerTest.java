package dev.sensorhouse.speed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.RedisServer;
import dev.sensorhouse.warehouse.WarehouseTarget;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/** The speed layer's writes ({@code apply-readings.lua} through {@link RedisSpeedLayer}) on a real redis-server. */
class SpeedLayerTest {
    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();

    @TempDir
    Path tmp;

    private URI url;
    private RedisSpeedLayer layer;

    @BeforeEach
    void emptyRedis() {
        url = URI.create(RedisServer.shared().url());
        try (Jedis j = new Jedis(url)) {
            j.flushAll();
        }
        layer = new RedisSpeedLayer(url, Duration.ofSeconds(5), 10_000);
    }

    private static SpeedReading temperature(String device, long ts, double value, String id) {
        return new SpeedReading(device, "temperature", ts, value, id, -5.0, 45.0);
    }

    private RedisSpeedLayer.Applied apply(SpeedReading... readings) {
        return layer.apply(List.of(readings), T0 - Duration.ofDays(7).toMillis(), Map.of());
    }

    /** Every key of the speed layer and its content, for before/after comparisons. */
    private Map<String, Object> dump() {
        Map<String, Object> out = new TreeMap<>();
        try (Jedis j = new Jedis(url)) {
            for (String k : j.keys("sh:*")) {
                switch (j.type(k)) {
                    case "zset" -> out.put(k, j.zrangeWithScores(k, 0, -1).toString());
                    case "hash" -> out.put(k, new TreeMap<>(j.hgetAll(k)));
                    case "set" -> out.put(k, new java.util.TreeSet<>(j.smembers(k)));
                    case "stream" -> out.put(k, j.xlen(k));
                    default -> out.put(k, j.type(k));
                }
            }
        }
        return out;
    }

    private List<String> alerts() {
        List<String> out = new ArrayList<>();
        try (Jedis j = new Jedis(url)) {
            for (StreamEntry e : j.xrange(SpeedKeys.ALERTS, (StreamEntryID) null, (StreamEntryID) null, 1000)) {
                out.add(e.getFields().get("metric") + " " + e.getFields().get("previous_state") + "->"
                        + e.getFields().get("state") + " at " + e.getFields().get("value"));
            }
        }
        return out;
    }

    @Test
    void oneAlertWhenAMetricCrossesAThresholdAndOneWhenItReturns() {
        apply(
                temperature("d1", T0, 20, "e1"),
                temperature("d1", T0 + 1000, 50, "e2"),
                temperature("d1", T0 + 2000, 55, "e3"),
                temperature("d1", T0 + 3000, 30, "e4"),
                temperature("d1", T0 + 4000, -10, "e5"),
                temperature("d1", T0 + 5000, 0, "e6"));
        assertThat(alerts())
                .containsExactly(
                        "temperature NORMAL->HIGH at 50.0",
                        "temperature HIGH->NORMAL at 30.0",
                        "temperature NORMAL->LOW at -10.0",
                        "temperature LOW->NORMAL at 0.0");
    }

    @Test
    void aRedeliveredBatchChangesNothing() {
        SpeedReading[] batch = {
            temperature("d1", T0, 20, "e1"),
            temperature("d1", T0 + 1000, 50, "e2"),
            new SpeedReading("d2", "humidity", T0, 55.5, "e3", 10.0, 98.0)
        };
        RedisSpeedLayer.Applied first = apply(batch);
        Map<String, Object> before = dump();
        RedisSpeedLayer.Applied again = apply(batch);
        assertThat(first).isEqualTo(new RedisSpeedLayer.Applied(3, 1));
        assertThat(again).isEqualTo(new RedisSpeedLayer.Applied(0, 0));
        assertThat(dump()).isEqualTo(before);
    }

    @Test
    void aLateReadingIsKeptButChangesNoAlertStateNorTheLatestValue() {
        apply(temperature("d1", T0 + 10_000, 50, "e2"));
        apply(temperature("d1", T0, 20, "e1"));
        assertThat(alerts()).containsExactly("temperature NORMAL->HIGH at 50.0");
        try (Jedis j = new Jedis(url)) {
            assertThat(j.zcard(SpeedKeys.readings("d1", "temperature"))).isEqualTo(2);
            assertThat(j.hget(SpeedKeys.latest("d1"), "temperature")).isEqualTo((T0 + 10_000) + ":50.0:e2");
        }
    }

    @Test
    void twoReadingsOfOneMillisecondAreBothKept() {
        apply(temperature("d1", T0, 20, "a"), temperature("d1", T0, 20, "b"));
        try (Jedis j = new Jedis(url)) {
            assertThat(j.zcard(SpeedKeys.readings("d1", "temperature"))).isEqualTo(2);
            assertThat(j.hget(SpeedKeys.hourly("d1", "temperature"), Long.toString(T0)))
                    .isEqualTo("2,20,20,40");
        }
    }

    @Test
    void readingsOlderThanSevenDaysAreIgnoredAndTrimmed() {
        long week = Duration.ofDays(7).toMillis();
        layer.apply(List.of(temperature("d1", T0, 20, "old")), T0 - week, Map.of());
        layer.apply(
                List.of(temperature("d1", T0 + week + 1000, 21, "new"), temperature("d1", T0 + 500, 22, "too-old")),
                T0 + 1000,
                Map.of());
        try (Jedis j = new Jedis(url)) {
            assertThat(j.zrange(SpeedKeys.readings("d1", "temperature"), 0, -1))
                    .containsExactly((T0 + week + 1000) + ":21.0:new");
        }
    }

    @Test
    void speedHoursAreUpsertedIntoTheWarehouseFromRedisFigures() throws Exception {
        WarehouseTarget duck = WarehouseTarget.of(
                tmp.resolve("w.duckdb").toString(), Optional.empty(), Optional.empty(), Map.of(), id -> null);
        SpeedHourlyFlush flush = new SpeedHourlyFlush(duck);
        apply(
                temperature("d1", T0 + 1000, 20, "e1"),
                temperature("d1", T0 + 2000, 30, "e2"),
                temperature("d1", T0 + 3_600_000, 10, "e3"));
        assertThat(flush.flush(layer, Instant.parse("2026-03-01T11:00:05Z"))).isEqualTo(2);
        apply(temperature("d1", T0 + 1000, 20, "e1"), temperature("d1", T0 + 5000, 40, "e4"));
        assertThat(flush.flush(layer, Instant.parse("2026-03-01T11:00:06Z"))).isEqualTo(1);
        assertThat(flush.flush(layer, Instant.parse("2026-03-01T11:00:07Z"))).isZero();
        List<String> rows = new ArrayList<>();
        try (Connection c = duck.connect();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT hour_start, value_count, value_min, value_max,"
                                + " value_sum, value_avg FROM speed_reading_hourly ORDER BY hour_start")) {
            while (rs.next()) {
                rows.add(rs.getObject(1, java.time.LocalDateTime.class) + " " + rs.getLong(2) + " " + rs.getDouble(3)
                        + " " + rs.getDouble(4) + " " + rs.getDouble(5) + " " + rs.getDouble(6));
            }
        }
        assertThat(rows)
                .containsExactly("2026-03-01T10:00 3 20.0 40.0 90.0 30.0", "2026-03-01T11:00 1 10.0 10.0 10.0 10.0");
    }
}
