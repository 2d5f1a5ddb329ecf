package dev.sensorhouse.dimensions;

import static dev.sensorhouse.testing.Events.event;
import static dev.sensorhouse.testing.Events.lines;
import static dev.sensorhouse.testing.Events.writeRaw;
import static dev.sensorhouse.testing.Registry.insert;
import static dev.sensorhouse.testing.Registry.modify;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.cleanse.CleanseCounts;
import dev.sensorhouse.cleanse.CleanseJob;
import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.rollup.RollupJob;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.testing.Registry;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.zones.Lake;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Point-in-time keys: validity boundaries, unknown members, and facts re-keyed when history changes. */
class EnrichmentTest extends SparkTestBase {
    private static Timestamp ts(String iso) {
        return Timestamp.from(Instant.parse(iso));
    }

    private Dataset<Row> devices() {
        StructType s = new StructType()
                .add("device_key", DataTypes.LongType)
                .add("device_id", DataTypes.StringType)
                .add("location_id", DataTypes.StringType)
                .add("valid_from", DataTypes.TimestampType)
                .add("valid_to", DataTypes.TimestampType);
        return spark().createDataFrame(
                        List.of(
                                RowFactory.create(
                                        1L, "d1", "loc-a", ts("2026-01-01T00:00:00Z"), ts("2026-01-02T00:00:00Z")),
                                RowFactory.create(
                                        2L, "d1", "loc-b", ts("2026-01-02T00:00:00Z"), ts("2026-01-03T00:00:00Z")),
                                RowFactory.create(
                                        3L, "d2", "loc-x", ts("2026-01-01T00:00:00Z"), ts("9999-12-31T00:00:00Z"))),
                        s);
    }

    private Dataset<Row> locations() {
        StructType s = new StructType()
                .add("location_key", DataTypes.LongType)
                .add("location_id", DataTypes.StringType)
                .add("valid_from", DataTypes.TimestampType)
                .add("valid_to", DataTypes.TimestampType);
        return spark().createDataFrame(
                        List.of(
                                RowFactory.create(10L, "loc-a", ts("2025-01-01T00:00:00Z"), ts("9999-12-31T00:00:00Z")),
                                RowFactory.create(
                                        20L, "loc-b", ts("2026-01-02T12:00:00Z"), ts("9999-12-31T00:00:00Z"))),
                        s);
    }

    @Test
    void factsJoinTheVersionValidAtTheirTimeWithInclusiveStartAndExclusiveEnd() {
        StructType s = new StructType()
                .add("id", DataTypes.StringType)
                .add("device_id", DataTypes.StringType)
                .add("event_ts", DataTypes.TimestampType);
        Dataset<Row> facts = spark().createDataFrame(
                        List.of(
                                RowFactory.create("before-first", "d1", ts("2025-12-31T23:59:59.999999Z")),
                                RowFactory.create("at-first-start", "d1", ts("2026-01-01T00:00:00Z")),
                                RowFactory.create("last-micro-of-first", "d1", ts("2026-01-01T23:59:59.999999Z")),
                                RowFactory.create("at-second-start", "d1", ts("2026-01-02T00:00:00Z")),
                                RowFactory.create("location-valid", "d1", ts("2026-01-02T12:00:00Z")),
                                RowFactory.create("at-end", "d1", ts("2026-01-03T00:00:00Z")),
                                RowFactory.create("location-unknown", "d2", ts("2026-01-05T00:00:00Z")),
                                RowFactory.create("unregistered", "zz", ts("2026-01-01T12:00:00Z"))),
                        s);
        Map<String, String> keys = new TreeMap<>();
        for (Row r :
                Enrichment.withKeys(facts, "event_ts", devices(), locations()).collectAsList()) {
            keys.put(r.getAs("id"), r.getAs("device_key") + "/" + r.getAs("location_key"));
        }
        assertThat(keys)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "before-first", "-1/-1",
                        "at-first-start", "1/10",
                        "last-micro-of-first", "1/10",
                        "at-second-start", "2/-1",
                        "location-valid", "2/20",
                        "at-end", "-1/-1",
                        "location-unknown", "3/-1",
                        "unregistered", "-1/-1"));
    }

    @Test
    void readingsAndAggregatesAreReKeyedWhenALateChangeSplitsAVersion() throws Exception {
        Path lake = lakeDir();
        Lake l = Lake.at(spark(), lake.toString());
        String device = "farm-001-probe-0001";
        Path cdc = tmp.resolve("cdc");
        Registry.write(
                cdc,
                "a.json",
                List.of(insert("DEVICE#" + device, 1, "2026-01-01T00:00:00Z")
                        .s("firmware", "1.0")
                        .placement("loc-a")
                        .json()));
        DimensionsConfig config =
                new DimensionsConfig(lake.toString(), Optional.empty(), Optional.of(cdc.toString()), NullRule.KEEP);
        new DimensionsJob(l, config, "test").run();
        writeRaw(
                lake,
                "2026-01-01T10:00:00Z",
                "a.json",
                lines(
                        event("e1")
                                .device(device)
                                .at("2026-01-01T10:00:05Z")
                                .metric("temperature", 20)
                                .json(),
                        event("e2")
                                .device(device)
                                .at("2026-01-01T11:00:05Z")
                                .metric("temperature", 21)
                                .json(),
                        event("e3")
                                .device("farm-001-probe-0999")
                                .at("2026-01-01T10:30:00Z")
                                .metric("temperature", 22)
                                .json()));
        JobResult<CleanseCounts> cleansed = new CleanseJob(l, CleanseConfig.incremental(lake.toString()), "test").run();
        assertThat(cleansed.counts().readingsUnknownDevice()).isEqualTo(1);
        new RollupJob(l, RollupConfig.incremental(lake.toString()), "test").run();
        long firstKey = l.devices().read().head().getLong(0);
        assertThat(keysOf(l.cleansedReadings().read(), "event_id"))
                .containsEntry("e1", firstKey)
                .containsEntry("e2", firstKey)
                .containsEntry("e3", -1L);

        // the device moved at 11:00, and that change arrives late
        Registry.write(
                cdc,
                "b.json",
                List.of(modify("DEVICE#" + device, 2, "2026-01-01T11:00:00Z")
                        .placement("loc-b")
                        .json()));
        JobResult<DimensionsCounts> r = new DimensionsJob(l, config, "test").run();
        long secondKey = l.devices()
                .read()
                .filter(col("location_id").equalTo("loc-b"))
                .head()
                .getLong(0);
        assertThat(keysOf(l.cleansedReadings().read(), "event_id"))
                .containsEntry("e1", firstKey)
                .containsEntry("e2", secondKey)
                .containsEntry("e3", -1L);
        Map<String, Long> hourly = keysOf(
                l.readingsHourly()
                        .read()
                        .filter(col("device_id").equalTo(device))
                        .withColumn("hour", col("hour_start").cast("string")),
                "hour");
        assertThat(hourly)
                .containsEntry("2026-01-01 10:00:00", firstKey)
                .containsEntry("2026-01-01 11:00:00", secondKey);
        assertThat(keysOf(
                        l.readingsDaily()
                                .read()
                                .filter(col("device_id").equalTo(device))
                                .withColumn("d", col("day").cast("string")),
                        "d"))
                .containsEntry("2026-01-01", firstKey);
        assertThat(r.counts().factRowsRekeyed())
                .as("one reading and one hourly row")
                .isEqualTo(2);
    }

    private static Map<String, Long> keysOf(Dataset<Row> rows, String id) {
        Map<String, Long> m = new TreeMap<>();
        rows.collectAsList().forEach(r -> m.put(r.getAs(id).toString(), r.getAs("device_key")));
        return m;
    }
}
