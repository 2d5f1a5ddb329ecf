package dev.sensorhouse.stream;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.speed.SpeedKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Test oracles of the speed layer: what Redis holds, read back key by key, and the alerts written here
 * independently of the job's Lua script from the rules README states (per device and metric, in
 * arrival order; a reading not newer than the newest considered changes no state; a change of state
 * between NORMAL, HIGH and LOW is one alert).
 */
final class SpeedLayerState {
    private SpeedLayerState() {}

    /** A reading as {@code device|metric|ts|value|event_id}. */
    static String reading(String device, String metric, long ts, double value, String eventId) {
        return device + "|" + metric + "|" + ts + "|" + value + "|" + eventId;
    }

    /** Every reading held in {@code sh:readings:*}. */
    static Set<String> readingsInRedis(Jedis j) {
        Set<String> out = new TreeSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page =
                    j.scan(cursor, new ScanParams().match("sh:readings:*").count(1000));
            for (String key : page.getResult()) {
                String device = key.substring("sh:readings:".length(), key.lastIndexOf(':'));
                String metric = key.substring(key.lastIndexOf(':') + 1);
                for (String member : j.zrange(key, 0, -1)) {
                    String[] m = member.split(":", 3);
                    out.add(reading(device, metric, Long.parseLong(m[0]), Double.parseDouble(m[1]), m[2]));
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }

    /** Cleansed rows (device_id, metric, event_ts, value, event_id) as readings. */
    static Set<String> readingsOf(List<Row> cleansed) {
        Set<String> out = new TreeSet<>();
        for (Row r : cleansed) {
            out.add(reading(
                    r.getString(0), r.getString(1), r.getTimestamp(2).getTime(), r.getDouble(3), r.getString(4)));
        }
        return out;
    }

    /** The alert ids of the stream {@code sh:alerts}. */
    static List<String> alertIdsInRedis(Jedis j) {
        List<String> out = new ArrayList<>();
        for (StreamEntry e :
                j.xrange(SpeedKeys.ALERTS, (StreamEntryID) null, (StreamEntryID) null, Integer.MAX_VALUE)) {
            out.add(e.getFields().get("alert_id"));
        }
        return out;
    }

    /**
     * The alerts the rules give for {@code cleansed} rows (device_id, metric, event_ts, value,
     * event_id) taken in the order of {@code putOrder} (event id → position of its first put).
     */
    static List<String> expectedAlerts(List<Row> cleansed, Map<String, Integer> putOrder, MetricCatalog catalog) {
        List<Row> ordered = new ArrayList<>(cleansed);
        ordered.sort((a, b) -> Integer.compare(putOrder.get(a.getString(4)), putOrder.get(b.getString(4))));
        Map<String, String> state = new HashMap<>();
        Map<String, long[]> newestTs = new HashMap<>();
        Map<String, String> newestId = new HashMap<>();
        List<String> alerts = new ArrayList<>();
        for (Row r : ordered) {
            String device = r.getString(0);
            String metric = r.getString(1);
            long ts = r.getTimestamp(2).getTime();
            double v = r.getDouble(3);
            String id = r.getString(4);
            MetricCatalog.Metric m = catalog.metric(metric).orElseThrow();
            if (m.alertLow() == null && m.alertHigh() == null) {
                continue;
            }
            String key = device + "|" + metric;
            long[] seen = newestTs.get(key);
            if (seen != null && !(ts > seen[0] || (ts == seen[0] && id.compareTo(newestId.get(key)) > 0))) {
                continue; // late: not newer than the newest reading considered
            }
            newestTs.put(key, new long[] {ts});
            newestId.put(key, id);
            String next = m.alertHigh() != null && v > m.alertHigh()
                    ? "HIGH"
                    : m.alertLow() != null && v < m.alertLow() ? "LOW" : "NORMAL";
            String previous = state.getOrDefault(key, "NORMAL");
            if (!next.equals(previous)) {
                alerts.add(device + "|" + metric + "|" + ts + "|" + id + "|" + next);
            }
            state.put(key, next);
        }
        return alerts;
    }
}
