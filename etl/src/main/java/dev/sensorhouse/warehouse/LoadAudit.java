package dev.sensorhouse.warehouse;

import static org.apache.spark.sql.functions.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorhouse.runtime.Durations;
import dev.sensorhouse.zones.JobRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The warehouse's own audit table, {@code etl_job_run}, as a load reads and writes it: where the last
 * successful load got to (the lake table versions it reached), how many attempts a run had, the
 * batch watermark of the live views, and the load's own row. Plain JDBC on the load's connection, so
 * the row commits with the load's transaction.
 */
final class LoadAudit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadAudit() {}

    /** The versions the newest successful load reached; empty before the first. */
    static Map<String, Long> lastLoaded(Connection connection) throws SQLException, JsonProcessingException {
        try (PreparedStatement q = connection.prepareStatement(
                "SELECT table_versions FROM etl_job_run WHERE job = ? AND status = ? ORDER BY ended_at DESC LIMIT 1")) {
            q.setString(1, WarehouseLoad.JOB);
            q.setString(2, JobRun.Status.SUCCEEDED.name());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next()
                        ? JSON.readValue(rs.getString(1), new TypeReference<TreeMap<String, Long>>() {})
                        : Map.of();
            }
        }
    }

    static int attempts(Connection connection, String runId) throws SQLException {
        try (PreparedStatement q =
                connection.prepareStatement("SELECT COUNT(*) FROM etl_job_run WHERE run_id = ? AND job = ?")) {
            q.setString(1, runId);
            q.setString(2, WarehouseLoad.JOB);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The hour after the newest hour of the batch layer; the live views serve the speed layer from there on. */
    static Optional<Instant> batchWatermark(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(hour_start) FROM fact_reading_hourly")) {
            rs.next();
            LocalDateTime newest = rs.getObject(1, LocalDateTime.class);
            return Optional.ofNullable(newest)
                    .map(h -> h.toInstant(ZoneOffset.UTC).plus(Duration.ofHours(1)));
        }
    }

    static void record(
            Connection connection,
            String runId,
            int attempt,
            WarehouseLoad.Mode mode,
            JobRun.Status status,
            Instant started,
            Instant ended,
            Optional<Instant> watermark,
            Map<String, TableCounts> counts,
            Map<String, Long> versions,
            Optional<String> error)
            throws SQLException {
        Map<String, Long> flat = new TreeMap<>();
        counts.forEach((table, c) -> {
            flat.put(table + ".staged", c.staged());
            flat.put(table + ".deleted", c.deleted());
            flat.put(table + ".inserted", c.inserted());
        });
        String sql =
                "INSERT INTO etl_job_run (run_id, attempt, job, origin, mode, window_start, window_end, status, started_at, ended_at, seconds, watermark, counts, table_versions, error)"
                        + " VALUES (?, ?, ?, 'warehouse', ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setString(1, runId);
            p.setInt(2, attempt);
            p.setString(3, WarehouseLoad.JOB);
            p.setString(4, mode == WarehouseLoad.Mode.FULL ? "full" : "incremental");
            p.setString(5, status.name());
            p.setObject(6, WarehouseLoad.utc(started));
            p.setObject(7, WarehouseLoad.utc(ended));
            p.setDouble(8, Durations.seconds(started, ended));
            if (watermark.isPresent()) {
                p.setObject(9, WarehouseLoad.utc(watermark.get()));
            } else {
                p.setNull(9, java.sql.Types.TIMESTAMP);
            }
            p.setString(10, JSON.writeValueAsString(flat));
            p.setString(11, JSON.writeValueAsString(versions));
            if (error.isPresent()) {
                String e = error.get();
                p.setString(12, e.length() > 4000 ? e.substring(0, 4000) : e);
            } else {
                p.setNull(12, java.sql.Types.VARCHAR);
            }
            p.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
