package dev.sensorhouse.rollup;

import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.zones.TableContract;
import dev.sensorhouse.zones.TableDiff;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The pure transformations of {@link Rollup} on small Datasets of readings. */
class RollupTest extends SparkTestBase {
    private static final StructType READINGS = new StructType()
            .add("device_id", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false)
            .add("value", DataTypes.DoubleType, false)
            .add("event_ts", DataTypes.TimestampType, false);

    private static Row reading(String device, String metric, double value, String ts) {
        return RowFactory.create(device, metric, value, Timestamp.from(Instant.parse(ts)));
    }

    private static Dataset<Row> readings(List<Row> rows) {
        return spark().createDataFrame(rows, READINGS);
    }

    @Test
    void hourlyBucketsHoldCountMinMaxSumSquaresMeanAndSampleStddev() {
        Dataset<Row> hourly = Rollup.hourly(readings(List.of(
                reading("d1", "temperature", 20.0, "2026-01-01T00:05:00Z"),
                reading("d1", "temperature", 22.0, "2026-01-01T00:35:00Z"),
                reading("d1", "temperature", 27.0, "2026-01-01T00:50:00Z"),
                reading("d1", "temperature", 30.0, "2026-01-01T01:10:00Z"))));
        List<Row> rows = hourly.orderBy("hour_start").collectAsList();
        assertThat(rows).hasSize(2);
        Row h0 = rows.get(0);
        assertThat(h0.<Timestamp>getAs("hour_start").toInstant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(h0.getAs("event_date").toString()).isEqualTo("2026-01-01");
        assertThat(h0.<Long>getAs("value_count")).isEqualTo(3L);
        assertThat(h0.<Double>getAs("value_min")).isEqualTo(20.0);
        assertThat(h0.<Double>getAs("value_max")).isEqualTo(27.0);
        assertThat(h0.<Double>getAs("value_sum")).isEqualTo(69.0);
        assertThat(h0.<Double>getAs("value_sum_squares")).isEqualTo(400.0 + 484.0 + 729.0);
        assertThat(h0.<Double>getAs("value_avg")).isEqualTo(23.0);
        // deviations -3, -1, 4: sum of squares 26, sample variance 13
        assertThat(h0.<Double>getAs("value_stddev")).isCloseTo(Math.sqrt(13.0), within(1e-12));
        assertThat(h0.<Timestamp>getAs("first_ts").toInstant()).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
        assertThat(h0.<Timestamp>getAs("last_ts").toInstant()).isEqualTo(Instant.parse("2026-01-01T00:50:00Z"));
        Row h1 = rows.get(1);
        assertThat(h1.<Long>getAs("value_count")).isEqualTo(1L);
        assertThat(h1.<Double>getAs("value_avg")).isEqualTo(30.0);
        assertThat(h1.isNullAt(h1.fieldIndex("value_stddev")))
                .as("stddev of a single reading")
                .isTrue();
    }

    @Test
    void identicalValuesGiveAZeroStddevNeverNaN() {
        Row h = Rollup.hourly(readings(List.of(
                        reading("d1", "humidity", 0.1, "2026-01-01T00:01:00Z"),
                        reading("d1", "humidity", 0.1, "2026-01-01T00:02:00Z"),
                        reading("d1", "humidity", 0.1, "2026-01-01T00:03:00Z"))))
                .head();
        assertThat(h.<Double>getAs("value_stddev")).isEqualTo(0.0);
    }

    @Test
    void dailyFromHourlyEqualsADirectDailyAggregationOfRandomReadings() {
        Random random = new Random(20260101);
        List<Row> rows = new ArrayList<>();
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < 5000; i++) {
            String device = "d" + random.nextInt(7);
            String metric = random.nextBoolean() ? "temperature" : "humidity";
            // quarter units: exactly representable, so every order of addition gives the same sums
            double value = (random.nextInt(400) - 100) / 4.0 + (metric.equals("humidity") ? 50 : 0);
            rows.add(RowFactory.create(
                    device, metric, value, Timestamp.from(start.plusSeconds(random.nextInt(3 * 86400)))));
        }
        Dataset<Row> readings = readings(rows).repartition(3);
        Map<String, Row> fromHourly = byKey(Rollup.daily(Rollup.hourly(readings)));
        Map<String, Row> direct = byKey(readings.groupBy(
                        col("device_id"),
                        col("metric"),
                        to_date(col("event_ts")).as("day"))
                .agg(
                        count(lit(1)).as("value_count"),
                        min("value").as("value_min"),
                        max("value").as("value_max"),
                        sum("value").as("value_sum"),
                        avg("value").as("value_avg"),
                        stddev_samp("value").as("value_stddev"),
                        min("event_ts").as("first_ts"),
                        max("event_ts").as("last_ts")));
        assertThat(fromHourly.keySet()).hasSize(7 * 2 * 3).isEqualTo(direct.keySet());
        for (Map.Entry<String, Row> e : direct.entrySet()) {
            Row d = e.getValue();
            Row h = fromHourly.get(e.getKey());
            for (String exact : List.of("value_count", "value_min", "value_max", "value_sum", "first_ts", "last_ts")) {
                assertThat((Object) h.getAs(exact)).as(e.getKey() + " " + exact).isEqualTo(d.getAs(exact));
            }
            for (String close : List.of("value_avg", "value_stddev")) {
                double expected = d.getAs(close);
                assertThat(h.<Double>getAs(close))
                        .as(e.getKey() + " " + close)
                        .isCloseTo(expected, within(Math.abs(expected) * 1e-9));
            }
        }
    }

    @Test
    void changesHoldOnlyNewDifferingAndVanishedBuckets() {
        Dataset<Row> stored = Rollup.hourly(readings(List.of(
                reading("d1", "temperature", 20.0, "2026-01-01T00:05:00Z"),
                reading("d1", "temperature", 21.0, "2026-01-01T01:05:00Z"),
                reading("d1", "temperature", 22.0, "2026-01-01T02:05:00Z"))));
        Dataset<Row> recomputed = Rollup.hourly(readings(List.of(
                reading("d1", "temperature", 20.0, "2026-01-01T00:05:00Z"),
                reading("d1", "temperature", 21.0, "2026-01-01T01:05:00Z"),
                reading("d1", "temperature", 25.0, "2026-01-01T01:45:00Z"),
                reading("d1", "temperature", 23.0, "2026-01-01T03:05:00Z"))));
        List<String> values = Rollup.VALUES.stream()
                .filter(List.of(recomputed.columns())::contains)
                .toList();
        List<String> changes = TableDiff.changes(recomputed, stored, TableContract.READINGS_HOURLY.key(), values)
                .orderBy("hour_start")
                .collectAsList()
                .stream()
                .map(r -> r.<Timestamp>getAs("hour_start").toInstant() + " delete=" + r.getAs(TableDiff.DELETE)
                        + " count=" + r.getAs("value_count"))
                .toList();
        assertThat(changes)
                .containsExactly(
                        "2026-01-01T01:00:00Z delete=false count=2",
                        "2026-01-01T02:00:00Z delete=true count=null",
                        "2026-01-01T03:00:00Z delete=false count=1");
        assertThat(TableDiff.changes(stored, stored, TableContract.READINGS_HOURLY.key(), values)
                        .count())
                .as("changes between equal tables")
                .isZero();
    }

    private static Map<String, Row> byKey(Dataset<Row> daily) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : daily.collectAsList()) {
            m.put(r.getAs("device_id") + "/" + r.getAs("metric") + "/" + r.getAs("day"), r);
        }
        return m;
    }
}
