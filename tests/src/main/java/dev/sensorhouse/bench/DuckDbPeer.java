package dev.sensorhouse.bench;

import dev.sensorhouse.contract.MetricCatalog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reference on the same work: an in-memory DuckDB doing in SQL what the cleanse and rollup do,
 * on the same files, with as many threads as the JVM has processors.
 *
 * <ul>
 *   <li>{@link #cleanse}: read the raw JSON lines (typed columns; a line that does not parse or whose
 *       fields have the wrong type is skipped), validate the event id, device id, timestamp (ISO-8601
 *       or epoch milliseconds) and metrics, deduplicate on {@code event_id} (first by file), unnest
 *       the metrics, convert each reading to its canonical unit and keep it when the unit is accepted
 *       and the value in range, and write Parquet partitioned by {@code event_date}.
 *   <li>{@link #rollup}: the hourly GROUP BY (count, min, max, sum, sum of squares, mean, sample
 *       standard deviation, first and last time) of given readings Parquet files, and the daily one
 *       from the hourly rows, each written to Parquet.
 * </ul>
 */
final class DuckDbPeer implements AutoCloseable {
    private final Connection connection;

    DuckDbPeer() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = connection.createStatement()) {
            s.execute("SET threads TO " + Runtime.getRuntime().availableProcessors());
            s.execute("SET preserve_insertion_order = false");
            s.execute("SET TimeZone = 'UTC'");
        }
    }

    /** The metric catalog as a table: one row per (metric, accepted unit). */
    private void catalog(Statement s, MetricCatalog catalog) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (MetricCatalog.Metric m : catalog.metrics().values()) {
            for (Map.Entry<String, MetricCatalog.Conversion> u : m.units().entrySet()) {
                rows.add(String.format(
                        Locale.ROOT,
                        "('%s', '%s', '%s', %s, %s, %s, %s)",
                        m.name(),
                        u.getKey().replace("'", "''"),
                        m.unit(),
                        u.getValue().offset(),
                        u.getValue().scale(),
                        m.min(),
                        m.max()));
            }
        }
        s.execute("CREATE OR REPLACE TEMP TABLE catalog AS SELECT * FROM (VALUES " + String.join(", ", rows)
                + ") t(metric, unit, canonical, unit_offset, unit_scale, lo, hi)");
    }

    /** Cleanses the raw files {@code rawFiles} (a glob) into Parquet under {@code out}; returns the readings written. */
    long cleanse(Path rawFiles, Path out, MetricCatalog catalog) throws SQLException, java.io.IOException {
        java.nio.file.Files.createDirectories(out.getParent());
        try (Statement s = connection.createStatement()) {
            catalog(s, catalog);
            String files = rawFiles.toAbsolutePath().toString();
            String sql = """
                    COPY (
                      WITH raw AS (
                        SELECT * FROM read_json('%s', format = 'newline_delimited', ignore_errors = true,
                          filename = true, maximum_object_size = 1048576,
                          columns = {event_id: 'VARCHAR', device_id: 'VARCHAR', ts: 'VARCHAR',
                                     metrics: 'MAP(VARCHAR, DOUBLE)', units: 'MAP(VARCHAR, VARCHAR)',
                                     location: 'STRUCT(lat DOUBLE, lon DOUBLE)', battery_v: 'DOUBLE',
                                     firmware: 'VARCHAR', seq: 'BIGINT'})),
                      events AS (
                        SELECT *, coalesce(try_cast(ts AS TIMESTAMPTZ), make_timestamp(try_cast(ts AS BIGINT) * 1000)::TIMESTAMPTZ) AS event_ts
                        FROM raw
                        WHERE event_id <> '' AND length(event_id) <= 128
                          AND regexp_full_match(device_id, '[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}')
                          AND cardinality(metrics) > 0),
                      firsts AS (
                        SELECT * FROM events WHERE event_ts IS NOT NULL
                        QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY filename) = 1),
                      readings AS (
                        SELECT event_id, device_id, event_ts, location, battery_v, firmware, seq, filename, units,
                               unnest(map_keys(metrics)) AS metric, unnest(map_values(metrics)) AS raw_value
                        FROM firsts)
                      SELECT r.event_id, r.device_id, r.metric, (r.raw_value + c.unit_offset) * c.unit_scale AS value,
                             c.canonical AS unit, r.event_ts, CAST(r.event_ts AS DATE) AS event_date,
                             r.location.lat AS lat, r.location.lon AS lon, r.battery_v, r.firmware, r.seq,
                             r.filename AS source_file
                      FROM readings r
                      JOIN catalog c ON c.metric = r.metric AND c.unit = coalesce(r.units[r.metric], c.canonical)
                      WHERE r.raw_value IS NOT NULL
                        AND (r.raw_value + c.unit_offset) * c.unit_scale BETWEEN c.lo AND c.hi
                    ) TO '%s' (FORMAT PARQUET, PARTITION_BY (event_date), OVERWRITE_OR_IGNORE true)
                    """.formatted(files, out.toAbsolutePath());
            return s.executeUpdate(sql);
        }
    }

    /** Rolls the given readings Parquet files up by hour into {@code out}/hourly.parquet, then by day; returns the hourly rows. */
    long rollup(List<String> readingFiles, Path out) throws SQLException, java.io.IOException {
        java.nio.file.Files.createDirectories(out);
        try (Statement s = connection.createStatement()) {
            String files = readingFiles.stream()
                    .map(f -> "'" + f.replace("'", "''") + "'")
                    .reduce((a, b) -> a + ", " + b)
                    .orElseThrow();
            long hourly = s.executeUpdate(
                    """
                    COPY (
                      SELECT device_id, metric, date_trunc('hour', event_ts) AS hour_start,
                             CAST(date_trunc('hour', event_ts) AS DATE) AS event_date,
                             count(*) AS value_count, min(value) AS value_min, max(value) AS value_max,
                             sum(value) AS value_sum, sum(value * value) AS value_sum_squares,
                             avg(value) AS value_avg, stddev_samp(value) AS value_stddev,
                             min(event_ts) AS first_ts, max(event_ts) AS last_ts
                      FROM read_parquet([%s])
                      GROUP BY ALL
                    ) TO '%s' (FORMAT PARQUET)
                    """.formatted(files, out.resolve("hourly.parquet").toAbsolutePath()));
            s.executeUpdate("""
                    COPY (
                      SELECT device_id, metric, event_date AS day, sum(value_count) AS value_count,
                             min(value_min) AS value_min, max(value_max) AS value_max, sum(value_sum) AS value_sum,
                             sum(value_sum_squares) AS value_sum_squares, min(first_ts) AS first_ts,
                             max(last_ts) AS last_ts
                      FROM read_parquet('%s')
                      GROUP BY ALL
                    ) TO '%s' (FORMAT PARQUET)
                    """.formatted(
                            out.resolve("hourly.parquet").toAbsolutePath(),
                            out.resolve("daily.parquet").toAbsolutePath()));
            return hourly;
        }
    }

    /** A count over Parquet files DuckDB wrote, for the summary. */
    long count(String parquetGlob) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + parquetGlob + "')")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
