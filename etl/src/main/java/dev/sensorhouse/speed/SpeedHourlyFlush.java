package dev.sensorhouse.speed;

import dev.sensorhouse.warehouse.SchemaSync;
import dev.sensorhouse.warehouse.StarSchema;
import dev.sensorhouse.warehouse.WarehouseTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Upserts the speed layer's hourly figures into the warehouse table {@code speed_reading_hourly}
 * (through the warehouse's own target and schema sync: DuckDB, PostgreSQL or Redshift), so the live
 * view {@code v_reading_hourly_live} shows the hours the batch has not covered yet.
 *
 * <p>The figures come from Redis' deduplicated state ({@code sh:hourly:…}, each reading counted once),
 * never from a batch's raw records, so an upsert is idempotent. Steps:
 *
 * <ol>
 *   <li>Unless a previous flush left {@code sh:speed:flushing} (it crashed), rename
 *       {@code sh:speed:dirty} to it: new changes keep going to a fresh dirty set.
 *   <li>Read the figures of every hour in {@code sh:speed:flushing}.
 *   <li>In one warehouse transaction, delete those keys and insert the figures.
 *   <li>Delete {@code sh:speed:flushing}. A crash before this only repeats the same upsert.
 * </ol>
 *
 * <p>A warehouse that cannot be reached (a DuckDB file another process holds) fails the flush; the
 * hours stay in the set for the next one.
 */
public final class SpeedHourlyFlush {
    private static final String DELETE =
            "DELETE FROM speed_reading_hourly WHERE device_id = ? AND metric = ? AND hour_start = ?";
    private static final String INSERT = "INSERT INTO speed_reading_hourly (device_id, metric, hour_start, value_count,"
            + " value_min, value_max, value_sum, value_avg, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final WarehouseTarget target;
    private boolean schemaChecked;

    public SpeedHourlyFlush(WarehouseTarget target) {
        this.target = target;
    }

    /** One hour of one device's metric as the speed layer holds it. */
    public record Hour(
            String deviceId, String metric, long hourStartMillis, long count, double min, double max, double sum) {}

    /** Flushes the changed hours; returns how many rows were upserted. */
    public long flush(RedisSpeedLayer redis, Instant updatedAt) throws SQLException {
        List<Hour> hours = redis.withRetry(j -> {
            if (!j.exists(SpeedKeys.FLUSHING) && j.exists(SpeedKeys.DIRTY)) {
                j.rename(SpeedKeys.DIRTY, SpeedKeys.FLUSHING);
            }
            Set<String> members = j.smembers(SpeedKeys.FLUSHING);
            List<String[]> keys = new ArrayList<>(members.size());
            Pipeline p = j.pipelined();
            List<Response<String>> values = new ArrayList<>(members.size());
            for (String m : members) {
                String[] k = m.split("\\|", 3);
                keys.add(k);
                values.add(p.hget(SpeedKeys.hourly(k[0], k[1]), k[2]));
            }
            p.sync();
            List<Hour> out = new ArrayList<>(members.size());
            for (int i = 0; i < keys.size(); i++) {
                String v = values.get(i).get();
                if (v != null) {
                    out.add(parse(keys.get(i), v));
                }
            }
            return out;
        });
        if (!hours.isEmpty()) {
            upsert(hours, updatedAt);
        }
        redis.withRetry(j -> j.del(SpeedKeys.FLUSHING));
        return hours.size();
    }

    static Hour parse(String[] key, String value) {
        String[] f = value.split(",");
        return new Hour(
                key[0],
                key[1],
                Long.parseLong(key[2]),
                Long.parseLong(f[0]),
                Double.parseDouble(f[1]),
                Double.parseDouble(f[2]),
                Double.parseDouble(f[3]));
    }

    private void upsert(List<Hour> hours, Instant updatedAt) throws SQLException {
        try (Connection c = target.connect()) {
            if (!schemaChecked) {
                SchemaSync.apply(c, target.dialect(), StarSchema.defaults());
                schemaChecked = true;
            }
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement(DELETE);
                    PreparedStatement insert = c.prepareStatement(INSERT)) {
                LocalDateTime updated = utc(updatedAt.toEpochMilli());
                for (Hour h : hours) {
                    LocalDateTime hour = utc(h.hourStartMillis());
                    delete.setString(1, h.deviceId());
                    delete.setString(2, h.metric());
                    delete.setObject(3, hour);
                    delete.addBatch();
                    insert.setString(1, h.deviceId());
                    insert.setString(2, h.metric());
                    insert.setObject(3, hour);
                    insert.setLong(4, h.count());
                    insert.setDouble(5, h.min());
                    insert.setDouble(6, h.max());
                    insert.setDouble(7, h.sum());
                    insert.setDouble(8, h.sum() / h.count());
                    insert.setObject(9, updated);
                    insert.addBatch();
                }
                delete.executeBatch();
                insert.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** A UTC wall-clock timestamp (the warehouse columns are timestamps without time zone, in UTC). */
    static LocalDateTime utc(long epochMillis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
