package dev.sensorhouse.warehouse;

import static dev.sensorhouse.testing.Events.lines;
import static dev.sensorhouse.testing.Events.writeRaw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.runtime.JobFailedException;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.Events;
import dev.sensorhouse.testing.LakeFiles;
import dev.sensorhouse.testing.Simulations;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.testing.SqlRows;
import dev.sensorhouse.zones.Lake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every warehouse load must do, whatever the warehouse: each subclass names one target (DuckDB,
 * PostgreSQL through its own driver, PostgreSQL through the Redshift driver and pgbouncer). The lake
 * is a small simulated one, run through dimensions, cleanse and rollup once per JVM and copied for
 * each test.
 */
abstract class WarehouseLoadContract extends SparkTestBase {
    private static Path template;

    /** A fresh, empty warehouse of this test's kind. */
    abstract WarehouseTarget newTarget(Path tmp) throws Exception;

    @AfterEach
    void disarm() {
        System.clearProperty("sensorhouse.failpoint");
    }

    /** The simulated lake after one `run`: 12 devices, 4 hours, every 5 minutes. */
    static synchronized Path template() throws IOException {
        if (template == null) {
            Path dir = Files.createTempDirectory("warehouse-lake-");
            Path lake = dir.resolve("lake");
            Simulations.simulate(
                    lake, "2026-01-05T00:00:00Z", 7, "--devices", "12", "--duration", "4h", "--interval", "5m");
            Cli.succeed("run", "--lake", lake.toString());
            template = lake;
        }
        return template;
    }

    private static Path afterLateEvent;

    /**
     * The template lake after one late event ({@code late-warehouse-1}: the first device's temperature
     * at 00:30:30, arriving in the 03:00 hour) came in and `run` took it in; made once per JVM.
     */
    static synchronized Path templateAfterLateEvent() throws IOException {
        if (afterLateEvent == null) {
            Path lake = Files.createTempDirectory("warehouse-lake-late-").resolve("lake");
            LakeFiles.copy(template(), lake);
            writeRaw(
                    lake,
                    "2026-01-05T03:00:00Z",
                    "late.json",
                    lines(Events.event("late-warehouse-1")
                            .device(firstDevice(lake))
                            .at("2026-01-05T00:30:30Z")
                            .metric("temperature", 21.5)
                            .json()));
            Cli.succeed("run", "--lake", lake.toString());
            afterLateEvent = lake;
        }
        return afterLateEvent;
    }

    /** Turns a copy of the template into a copy of {@link #templateAfterLateEvent}: the late event arrived and ran. */
    static void lateEventArrivesAndRuns(Path lake) throws IOException {
        try (var paths = Files.walk(lake)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        LakeFiles.copy(templateAfterLateEvent(), lake);
    }

    Path lake() throws IOException {
        Path lake = tmp.resolve("lake");
        LakeFiles.copy(template(), lake);
        return lake;
    }

    LoadResult load(Path lake, WarehouseTarget target) {
        WarehouseConfig config = new WarehouseConfig(
                lake.toString(),
                target,
                WarehouseConfig.defaultStaging(target).isEmpty()
                        ? tmp.resolve("staging").toString()
                        : WarehouseConfig.defaultStaging(target),
                Optional.empty(),
                MetricCatalog.defaults());
        return new WarehouseLoad(Lake.at(spark(), lake.toString()), config).run();
    }

    @Test
    void firstLoadCopiesEveryLakeTableAndRecordsTheRun() throws Exception {
        Path lake = lake();
        WarehouseTarget target = newTarget(tmp);
        LoadResult result = load(lake, target);
        Lake tables = Lake.at(spark(), lake.toString());

        assertThat(result.tables().get("fact_reading").inserted())
                .isEqualTo(tables.cleansedReadings().read().count());
        try (Connection c = target.connect()) {
            assertThat(scalar(c, "SELECT COUNT(*) FROM fact_reading"))
                    .isEqualTo(tables.cleansedReadings().read().count());
            assertThat(hourlyRows(c)).containsExactlyInAnyOrderElementsOf(lakeHourly(lake));
            assertThat(scalar(c, "SELECT COUNT(*) FROM fact_reading_daily"))
                    .isEqualTo(tables.readingsDaily().read().count());
            assertThat(scalar(c, "SELECT COUNT(*) FROM dim_device"))
                    .isEqualTo(tables.devices().read().count() + 1);
            assertThat(scalar(c, "SELECT COUNT(*) FROM dim_device WHERE device_key = -1 AND device_id = 'unknown'"))
                    .isEqualTo(1);
            assertThat(scalar(c, "SELECT COUNT(*) FROM dim_location"))
                    .isEqualTo(tables.locations().read().count() + 1);
            assertThat(scalar(c, "SELECT COUNT(*) FROM dim_metric"))
                    .isEqualTo(MetricCatalog.defaults().metrics().size());
            assertThat(scalar(c, "SELECT COUNT(*) FROM dim_date")).isEqualTo(1);
            assertThat(scalar(c, "SELECT COUNT(*) FROM fact_reading f JOIN dim_date d ON d.date_key = f.date_key"))
                    .isEqualTo(scalar(c, "SELECT COUNT(*) FROM fact_reading"));
            assertThat(scalar(
                            c, "SELECT COUNT(*) FROM fact_reading f JOIN dim_device d ON d.device_key = f.device_key"))
                    .as("every reading finds its device version or the unknown member")
                    .isEqualTo(scalar(c, "SELECT COUNT(*) FROM fact_reading"));
            assertThat(scalar(c, "SELECT COUNT(*) FROM etl_job_run WHERE origin = 'lake'"))
                    .isEqualTo(tables.jobRuns().all().size());
            assertThat(text(c, "SELECT status || ' ' || mode FROM etl_job_run WHERE job = 'load-warehouse'"))
                    .isEqualTo("SUCCEEDED full");
            assertThat(text(c, "SELECT CAST(watermark AS VARCHAR(32)) FROM etl_job_run WHERE job = 'load-warehouse'"))
                    .startsWith("2026-01-05 04:00:00");
        }
    }

    @Test
    void rerunWithNothingNewChangesNothing() throws Exception {
        Path lake = lake();
        WarehouseTarget target = newTarget(tmp);
        load(lake, target);
        Map<String, List<String>> before = contents(target);

        LoadResult again = load(lake, target);

        assertThat(again.tables()).isEmpty();
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(withoutAudit(contents(target))).isEqualTo(withoutAudit(before));
        try (Connection c = target.connect()) {
            assertThat(strings(c, "SELECT status FROM etl_job_run WHERE job = 'load-warehouse' ORDER BY attempt"))
                    .containsExactly("SUCCEEDED", "SUCCEEDED");
        }
    }

    @Test
    void lateEventReplacesExactlyItsReadingsHourAndDay() throws Exception {
        Path lake = lake();
        WarehouseTarget target = newTarget(tmp);
        load(lake, target);
        lateEventArrivesAndRuns(lake);

        LoadResult result = load(lake, target);

        assertThat(result.tables().get("fact_reading")).isEqualTo(new TableCounts("changes", 1, 0, 1));
        assertThat(result.tables().get("fact_reading_hourly")).isEqualTo(new TableCounts("changes", 1, 1, 1));
        assertThat(result.tables().get("fact_reading_daily")).isEqualTo(new TableCounts("changes", 1, 1, 1));
        try (Connection c = target.connect()) {
            assertThat(hourlyRows(c)).containsExactlyInAnyOrderElementsOf(lakeHourly(lake));
            assertThat(scalar(c, "SELECT COUNT(*) FROM fact_reading WHERE event_id = 'late-warehouse-1'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void failedMergeLeavesTheWarehouseAsBeforeAndRecordsTheFailure() throws Exception {
        assertFailureRollsBack("warehouse.after-staging");
    }

    @Test
    void failureJustBeforeCommitUndoesEveryTable() throws Exception {
        assertFailureRollsBack("warehouse.before-commit");
    }

    private void assertFailureRollsBack(String failpoint) throws Exception {
        Path lake = lake();
        WarehouseTarget target = newTarget(tmp);
        load(lake, target);
        lateEventArrivesAndRuns(lake);
        Map<String, List<String>> before = withoutAudit(contents(target));

        System.setProperty("sensorhouse.failpoint", failpoint + ":throw");
        assertThatThrownBy(() -> load(lake, target))
                .isInstanceOf(JobFailedException.class)
                .hasMessageContaining("failpoint " + failpoint)
                .hasMessageContaining("as before");
        System.clearProperty("sensorhouse.failpoint");

        assertThat(withoutAudit(contents(target))).isEqualTo(before);
        try (Connection c = target.connect()) {
            assertThat(
                            text(
                                    c,
                                    "SELECT status FROM etl_job_run WHERE job = 'load-warehouse' ORDER BY started_at DESC LIMIT 1"))
                    .isEqualTo("FAILED");
            assertThat(text(c, "SELECT error FROM etl_job_run WHERE job = 'load-warehouse' AND status = 'FAILED'"))
                    .contains("failpoint " + failpoint);
        }

        LoadResult retried = load(lake, target);
        assertThat(retried.tables().get("fact_reading").inserted()).isEqualTo(1);
        try (Connection c = target.connect()) {
            assertThat(hourlyRows(c)).containsExactlyInAnyOrderElementsOf(lakeHourly(lake));
            assertThat(scalar(c, "SELECT COUNT(*) FROM fact_reading"))
                    .isEqualTo(Lake.at(spark(), lake.toString())
                            .cleansedReadings()
                            .read()
                            .count());
        }
    }

    @Test
    void liveViewServesBatchHoursBeforeTheWatermarkAndSpeedHoursFromIt() throws Exception {
        Path lake = lake();
        WarehouseTarget target = newTarget(tmp);
        load(lake, target);
        try (Connection c = target.connect();
                Statement s = c.createStatement()) {
            String device = text(c, "SELECT MIN(device_id) FROM fact_reading_hourly WHERE metric = 'temperature'");
            long batchHours = scalar(
                    c,
                    "SELECT COUNT(*) FROM fact_reading_hourly WHERE device_id = '" + device
                            + "' AND metric = 'temperature'");
            // The batch watermark is 04:00: a speed row for 03:00 overlaps the batch and must not show; 04:00 and 05:00
            // must.
            for (String hour : List.of("03", "04", "05")) {
                s.executeUpdate(
                        "INSERT INTO speed_reading_hourly (device_id, metric, hour_start, value_count, value_min, value_max, value_sum, value_avg, updated_at) VALUES ('"
                                + device + "', 'temperature', TIMESTAMP '2026-01-05 " + hour
                                + ":00:00', 1, -1, -1, -1, -1, TIMESTAMP '2026-01-05 06:00:00')");
            }
            String where = " FROM v_reading_hourly_live WHERE device_id = '" + device + "' AND metric = 'temperature'";
            assertThat(scalar(c, "SELECT COUNT(*)" + where + " AND layer = 'batch'"))
                    .isEqualTo(batchHours);
            assertThat(scalar(c, "SELECT COUNT(*)" + where + " AND layer = 'speed'"))
                    .isEqualTo(2);
            assertThat(scalar(c, "SELECT COUNT(*)" + where))
                    .isEqualTo(scalar(c, "SELECT COUNT(DISTINCT hour_start)" + where))
                    .isEqualTo(batchHours + 2);
            assertThat(scalar(
                            c,
                            "SELECT COUNT(*)" + where
                                    + " AND layer = 'speed' AND hour_start < TIMESTAMP '2026-01-05 04:00:00'"))
                    .isZero();
            assertThat(scalar(
                            c,
                            "SELECT COUNT(*)" + where
                                    + " AND layer = 'batch' AND hour_start >= TIMESTAMP '2026-01-05 04:00:00'"))
                    .isZero();
        }
    }

    @Test
    void missingColumnIsAddedAndAColumnOfAnotherTypeStopsTheLoad() throws Exception {
        Path lake = lake();
        WarehouseTarget target = newTarget(tmp);
        load(lake, target);
        try (Connection c = target.connect();
                Statement s = c.createStatement()) {
            s.execute("DROP VIEW v_reading_hourly_live");
            s.execute("ALTER TABLE dim_metric DROP COLUMN alert_high");
        }
        load(lake, target);
        try (Connection c = target.connect();
                Statement s = c.createStatement()) {
            assertThat(scalar(c, "SELECT COUNT(*) FROM dim_metric WHERE alert_high IS NULL"))
                    .isEqualTo(MetricCatalog.defaults().metrics().size());
            assertThat(scalar(c, "SELECT COUNT(*) FROM v_reading_hourly_live")).isPositive();
            s.execute("DROP TABLE dim_metric");
            s.execute(
                    "CREATE TABLE dim_metric (metric VARCHAR(64), profile INTEGER, unit VARCHAR(32), min_value FLOAT8, max_value FLOAT8, alert_low FLOAT8, alert_high FLOAT8)");
        }
        assertThatThrownBy(() -> load(lake, target))
                .hasMessageContaining("dim_metric")
                .hasMessageContaining("profile")
                .hasMessageContaining("integer");
    }

    static String firstDevice(Path lake) {
        return spark().read()
                .format("delta")
                .load(lake.resolve("cleansed/readings").toString())
                .agg(org.apache.spark.sql.functions.min("device_id"))
                .head()
                .getString(0);
    }

    @Test
    void secondLoadWaitsForTheFirstToEnd() throws Exception {
        Path lake = lake();
        WarehouseTarget target = newTarget(tmp);
        org.junit.jupiter.api.Assumptions.assumeTrue(
                target.dialect().lockLoads().isPresent(),
                "DuckDB: the file itself is locked by the process that has it open");
        load(lake, target);
        lateEventArrivesAndRuns(lake);
        try (Connection first = target.connect()) {
            first.setAutoCommit(false);
            try (Statement s = first.createStatement()) {
                s.execute(target.dialect().lockLoads().get());
            }
            java.util.concurrent.CompletableFuture<LoadResult> second =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> load(lake, target));
            // The second load is seen waiting on the lock itself: an ungranted lock on etl_load_lock.
            String waiting =
                    "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'etl_load_lock' AND NOT l.granted";
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
            while (scalar(first, waiting) == 0 && !second.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(scalar(first, waiting))
                    .as("the second load waits on etl_load_lock while the first holds it")
                    .isEqualTo(1);
            assertThat(second)
                    .as("the second load while the first holds the lock")
                    .isNotDone();
            first.rollback();
            LoadResult result = second.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(result.tables().get("fact_reading").inserted()).isEqualTo(1);
        }
    }

    // --- reading the warehouse ---

    static long scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Hourly rows as "device|metric|hour|count|floor(sum * 1000)" from the warehouse. */
    static List<String> hourlyRows(Connection c) throws SQLException {
        return strings(
                c,
                "SELECT device_id || '|' || metric || '|' || CAST(hour_start AS VARCHAR(32)) || '|' || CAST(value_count AS VARCHAR(20)) || '|' || CAST(CAST(FLOOR(value_sum * 1000) AS BIGINT) AS VARCHAR(40)) FROM fact_reading_hourly");
    }

    /** The same from the lake. */
    static List<String> lakeHourly(Path lake) {
        List<String> out = new ArrayList<>();
        for (Row r : spark().read()
                .format("delta")
                .load(lake.resolve("aggregated/readings_hourly").toString())
                .selectExpr(
                        "concat_ws('|', device_id, metric, date_format(hour_start, 'yyyy-MM-dd HH:mm:ss'), CAST(value_count AS STRING), CAST(CAST(floor(value_sum * 1000) AS BIGINT) AS STRING))")
                .collectAsList()) {
            out.add(r.getString(0));
        }
        return out;
    }

    static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Every loaded table's rows, each as its columns' text, sorted. */
    static Map<String, List<String>> contents(WarehouseTarget target) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = target.connect();
                Statement s = c.createStatement()) {
            for (StarSchema.Table t : StarSchema.defaults().tables()) {
                List<String> rows = new ArrayList<>(SqlRows.of(s, t.name()));
                rows.sort(Comparator.naturalOrder());
                out.put(t.name(), rows);
            }
        }
        return out;
    }

    static Map<String, List<String>> withoutAudit(Map<String, List<String>> contents) {
        Map<String, List<String>> out = new LinkedHashMap<>(contents);
        out.remove("etl_job_run");
        return out;
    }
}
