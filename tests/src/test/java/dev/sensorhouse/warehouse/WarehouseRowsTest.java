package dev.sensorhouse.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.warehouse.StarSchema.Table;
import dev.sensorhouse.zones.TableContract;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The rows a load stages: netted change-data-feed rows, inserts, unknown members, the calendar and the metric catalog. */
class WarehouseRowsTest extends SparkTestBase {
    private static final StarSchema SCHEMA = StarSchema.defaults();
    private static final Table FACT_READING = SCHEMA.table("fact_reading");
    private static final StructType CHANGES = TableContract.CLEANSED_READINGS
            .schema()
            .add("_change_type", DataTypes.StringType, false)
            .add("_commit_version", DataTypes.LongType, false);

    /** One change-data-feed row of cleansed.readings, e.g. {@code change("insert", 1).reading("e1", "temperature").value(21.5)}. */
    private static final class Change {
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Change(String type, long version) {
            values.put("event_id", "e1");
            values.put("device_id", "d1");
            values.put("metric", "temperature");
            values.put("value", 21.5);
            values.put("unit", "celsius");
            values.put("event_ts", Timestamp.from(Instant.parse("2026-01-03T10:00:00Z")));
            values.put("event_date", Date.valueOf("2026-01-03"));
            values.put("arrival_ts", Timestamp.from(Instant.parse("2026-01-03T10:00:00Z")));
            values.put("device_key", 7L);
            values.put("location_key", 9L);
            values.put("source_file", "raw/2026/01/03/10/part-0.jsonl");
            values.put("source_line", 1L);
            values.put("run_id", "cleanse-1");
            values.put("_change_type", type);
            values.put("_commit_version", version);
        }

        Change reading(String eventId, String metric) {
            values.put("event_id", eventId);
            values.put("metric", metric);
            return this;
        }

        Change value(double v) {
            values.put("value", v);
            return this;
        }

        Change deviceKey(Long key) {
            values.put("device_key", key);
            return this;
        }

        Row row() {
            return RowFactory.create(
                    Arrays.stream(CHANGES.fieldNames()).map(values::get).toArray());
        }
    }

    private static Change change(String type, long version) {
        return new Change(type, version);
    }

    private Dataset<Row> feed(Change... changes) {
        return spark().createDataFrame(Stream.of(changes).map(Change::row).toList(), CHANGES);
    }

    /** Each staged row as "event_id/metric value" plus " deleted" for a deletion, sorted. */
    private static List<String> staged(Dataset<Row> rows) {
        return rows.collectAsList().stream()
                .map(r -> r.getAs("event_id") + "/" + r.getAs("metric") + " " + r.getAs("value")
                        + ((boolean) r.getAs(Dialect.DELETED) ? " deleted" : ""))
                .sorted()
                .toList();
    }

    @Test
    void anInsertedKeyIsStagedAndNotDeleted() {
        assertThat(staged(WarehouseRows.net(feed(change("insert", 1).value(21.5)), FACT_READING)))
                .containsExactly("e1/temperature 21.5");
    }

    @Test
    void anUpdatedKeyIsStagedWithItsPostImage() {
        Dataset<Row> changes = feed(
                change("update_postimage", 2).value(22.0),
                change("update_preimage", 2).value(21.5),
                change("insert", 1).value(21.5));

        assertThat(staged(WarehouseRows.net(changes, FACT_READING))).containsExactly("e1/temperature 22.0");
    }

    @Test
    void aKeyDeletedInALaterVersionIsStagedAsDeleted() {
        Dataset<Row> changes =
                feed(change("delete", 3).value(21.5), change("insert", 1).value(21.5));

        assertThat(staged(WarehouseRows.net(changes, FACT_READING))).containsExactly("e1/temperature 21.5 deleted");
    }

    @Test
    void aKeyDeletedAndInsertedInOneVersionIsStagedWithTheInsertedRow() {
        // a replaceWhere rewrite: Delta records the old row as a delete and the new one as an insert of the same commit
        Dataset<Row> changes = feed(
                change("insert", 1).value(21.5),
                change("insert", 2).value(23.0),
                change("delete", 2).value(21.5));

        assertThat(staged(WarehouseRows.net(changes, FACT_READING))).containsExactly("e1/temperature 23.0");
    }

    @Test
    void eachKeyIsNettedOnItsOwn() {
        Dataset<Row> changes = feed(
                change("insert", 1).reading("e1", "temperature").value(21.5),
                change("insert", 1).reading("e1", "humidity").value(60.0),
                change("delete", 2).reading("e1", "temperature").value(21.5),
                change("update_preimage", 3).reading("e1", "humidity").value(60.0),
                change("update_postimage", 3).reading("e1", "humidity").value(61.0));

        assertThat(staged(WarehouseRows.net(changes, FACT_READING)))
                .containsExactly("e1/humidity 61.0", "e1/temperature 21.5 deleted");
    }

    @Test
    void nettedRowsHaveTheTablesColumnsFromTheirExpressions() {
        Row r = WarehouseRows.net(feed(change("insert", 1).deviceKey(null)), FACT_READING)
                .first();

        assertThat((long) r.getAs("device_key")).as("an unknown device").isEqualTo(-1L);
        assertThat((int) r.getAs("date_key")).isEqualTo(20260103);
        assertThat(r.schema().fieldNames()).doesNotContain("_change_type", "_commit_version", "source_file");
    }

    @Test
    void insertsKeepOnlyInsertedRowsAndNoneIsDeleted() {
        Dataset<Row> changes = feed(
                change("insert", 1).reading("e1", "temperature").value(21.5),
                change("insert", 2).reading("e2", "temperature").value(19.0),
                change("update_preimage", 2).reading("e3", "humidity").value(50.0),
                change("update_postimage", 2).reading("e3", "humidity").value(51.0),
                change("delete", 2).reading("e4", "humidity").value(40.0));

        assertThat(staged(WarehouseRows.inserts(changes, FACT_READING)))
                .containsExactly("e1/temperature 21.5", "e2/temperature 19.0");
    }

    @Test
    void unknownDeviceIsOneRowWithKeyMinusOneAndTheSchemasValues() {
        Table device = SCHEMA.table("dim_device");

        List<Row> rows = WarehouseRows.unknownMember(spark(), device).collectAsList();

        assertThat(rows).hasSize(1);
        Row r = rows.get(0);
        assertThat((long) r.getAs("device_key")).isEqualTo(-1L);
        assertThat((String) r.getAs("device_id")).isEqualTo("unknown");
        assertThat((String) r.getAs("attr_hash")).isEqualTo("unknown");
        assertThat(((Timestamp) r.getAs("valid_from")).toInstant()).isEqualTo(Instant.parse("1970-01-01T00:00:00Z"));
        assertThat(((Timestamp) r.getAs("valid_to")).toInstant()).isEqualTo(Instant.parse("9999-12-31T00:00:00Z"));
        assertThat((boolean) r.getAs("is_current")).isTrue();
        assertThat((boolean) r.getAs(Dialect.DELETED)).isFalse();
        for (String unset : List.of("model", "firmware", "customer", "farm", "location_id", "installed_at", "status")) {
            assertThat((Object) r.getAs(unset)).as(unset).isNull();
        }
        assertThat(r.schema().fieldNames())
                .containsExactly(Stream.concat(device.columnNames().stream(), Stream.of(Dialect.DELETED))
                        .toArray(String[]::new));
    }

    @Test
    void calendarDescribesEachDateOnce() {
        StructType schema = new StructType().add("date", DataTypes.DateType);
        Dataset<Row> dates = spark().createDataFrame(
                        List.of(
                                RowFactory.create(Date.valueOf("2026-01-03")),
                                RowFactory.create(Date.valueOf("2026-01-03")),
                                RowFactory.create(Date.valueOf("2026-01-05"))),
                        schema);

        Map<Integer, Row> byKey = new LinkedHashMap<>();
        WarehouseRows.calendar(dates, SCHEMA.table("dim_date"))
                .collectAsList()
                .forEach(r -> byKey.put(r.getAs("date_key"), r));

        assertThat(byKey).containsOnlyKeys(20260103, 20260105);
        Row saturday = byKey.get(20260103);
        assertThat(saturday.getAs("date").toString()).isEqualTo("2026-01-03");
        assertThat((int) saturday.getAs("year")).isEqualTo(2026);
        assertThat((int) saturday.getAs("quarter")).isEqualTo(1);
        assertThat((int) saturday.getAs("month")).isEqualTo(1);
        assertThat((String) saturday.getAs("month_name")).isEqualTo("January");
        assertThat((int) saturday.getAs("day_of_month")).isEqualTo(3);
        assertThat((int) saturday.getAs("day_of_week")).as("Monday is 1").isEqualTo(6);
        assertThat((int) saturday.getAs("iso_week")).isEqualTo(1);
        assertThat((boolean) saturday.getAs("is_weekend")).isTrue();
        assertThat((boolean) saturday.getAs(Dialect.DELETED)).isFalse();
        Row monday = byKey.get(20260105);
        assertThat((int) monday.getAs("day_of_week")).isEqualTo(1);
        assertThat((int) monday.getAs("iso_week")).isEqualTo(2);
        assertThat((boolean) monday.getAs("is_weekend")).isFalse();
    }

    @Test
    void metricsAreOneRowPerCatalogMetric() {
        MetricCatalog catalog = MetricCatalog.defaults();

        Map<String, Row> byMetric = new LinkedHashMap<>();
        WarehouseRows.metrics(spark(), catalog, SCHEMA.table("dim_metric"))
                .collectAsList()
                .forEach(r -> byMetric.put(r.getAs("metric"), r));

        assertThat(byMetric)
                .hasSize(catalog.metrics().size())
                .containsOnlyKeys(catalog.metrics().keySet());
        Row temperature = byMetric.get("temperature");
        assertThat((String) temperature.getAs("profile")).isEqualTo("agriculture");
        assertThat((String) temperature.getAs("unit")).isEqualTo("celsius");
        assertThat((double) temperature.getAs("min_value")).isEqualTo(-50.0);
        assertThat((double) temperature.getAs("max_value")).isEqualTo(70.0);
        assertThat((double) temperature.getAs("alert_low")).isEqualTo(-5.0);
        assertThat((double) temperature.getAs("alert_high")).isEqualTo(45.0);
        assertThat((Object) byMetric.get("light").getAs("alert_low"))
                .as("light has no alert thresholds")
                .isNull();
        assertThat(byMetric.values()).allMatch(r -> !(boolean) r.getAs(Dialect.DELETED));
    }
}
