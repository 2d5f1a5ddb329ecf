package dev.sensorhouse.speed;

import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.TableContract;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Copies the alerts of the Redis stream {@code sh:alerts} into the lake table {@code speed/alerts}
 * (contract {@code speed.alerts}) in batches, not one Delta commit per micro-batch.
 *
 * <p>The cursor is the table itself: the newest stream entry id it holds. A flush reads the entries
 * after it (in pages of {@value #PAGE}) and inserts them with an insert-only MERGE on
 * {@code alert_id}, one commit per flush. A crash at any point repeats at most the same insert, which
 * changes nothing. Entries the stream trimmed ({@code --alerts-maxlen}) before a flush are lost to the
 * table: the limit must exceed the alerts of a flush interval.
 */
public final class AlertsFlush {
    public static final TableContract CONTRACT = TableContract.load("speed.alerts");
    static final int PAGE = 10_000;

    private final LakeTable table;
    private final org.apache.spark.sql.SparkSession spark;
    private StreamEntryID cursor;

    public AlertsFlush(Lake lake) {
        this.table = lake.table(CONTRACT);
        this.spark = lake.spark();
    }

    /** Inserts the stream's entries after the table's newest; returns the rows inserted. */
    public long flush(RedisSpeedLayer redis) {
        if (cursor == null) {
            cursor = newestInTable();
        }
        List<Row> rows = new ArrayList<>();
        StreamEntryID from = cursor;
        StreamEntryID last = cursor;
        while (true) {
            StreamEntryID start = from;
            List<StreamEntry> page = redis.withRetry(j -> j.xrange(SpeedKeys.ALERTS, exclusive(start), null, PAGE));
            for (StreamEntry e : page) {
                rows.add(row(e));
                last = e.getID();
            }
            if (page.size() < PAGE) {
                break;
            }
            from = last;
        }
        if (rows.isEmpty()) {
            return 0;
        }
        long inserted = table.insertNew(spark.createDataFrame(rows, CONTRACT.schema()), List.of("alert_id"), null);
        cursor = last;
        return inserted;
    }

    private StreamEntryID newestInTable() {
        if (!table.exists()) {
            return new StreamEntryID(0, 0);
        }
        List<Row> newest = table.read()
                .orderBy(
                        functions.col("stream_ms").desc(),
                        functions.col("stream_seq").desc())
                .select("stream_ms", "stream_seq")
                .limit(1)
                .collectAsList();
        return newest.isEmpty()
                ? new StreamEntryID(0, 0)
                : new StreamEntryID(newest.get(0).getLong(0), newest.get(0).getLong(1));
    }

    /** The id just after {@code id} (XRANGE's start is inclusive). */
    private static StreamEntryID exclusive(StreamEntryID id) {
        return new StreamEntryID(id.getTime(), id.getSequence() + 1);
    }

    static Row row(StreamEntry e) {
        Map<String, String> f = e.getFields();
        long ts = Long.parseLong(f.get("event_ts"));
        return RowFactory.create(
                f.get("alert_id"),
                f.get("device_id"),
                f.get("metric"),
                f.get("state"),
                f.get("previous_state"),
                Double.parseDouble(f.get("value")),
                Double.parseDouble(f.get("threshold")),
                Timestamp.from(Instant.ofEpochMilli(ts)),
                Date.valueOf(LocalDate.ofInstant(Instant.ofEpochMilli(ts), ZoneOffset.UTC)),
                f.get("event_id"),
                Timestamp.from(Instant.ofEpochMilli(e.getID().getTime())),
                e.getID().getTime(),
                e.getID().getSequence());
    }
}
