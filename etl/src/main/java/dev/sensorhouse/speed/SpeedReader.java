package dev.sensorhouse.speed;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.Tuple;

/**
 * What a mobile app or an operator asks of the speed layer ({@link SpeedKeys}): a device's readings
 * and latest values, and the latest alerts. Read-only.
 */
public final class SpeedReader implements AutoCloseable {
    private final Jedis jedis;

    /** One reading as Redis holds it. */
    public record Reading(String metric, long tsMillis, double value, String eventId) {}

    /** One alert of the stream {@code sh:alerts}. */
    public record Alert(String streamId, Instant raisedAt, Map<String, String> fields) {}

    public SpeedReader(URI redis) {
        RedisSpeedLayer.checkReachable(redis);
        this.jedis = new Jedis(redis, 10_000);
    }

    /** The device's latest value of each metric: metric → reading. */
    public Map<String, Reading> latest(String device) {
        Map<String, Reading> out = new TreeMap<>();
        jedis.hgetAll(SpeedKeys.latest(device)).forEach((metric, member) -> out.put(metric, parse(metric, member)));
        return out;
    }

    /** The device's readings since {@code fromMillis} (of one metric, or all), by time. */
    public List<Reading> readings(String device, Optional<String> metric, long fromMillis) {
        List<String> metrics = metric.map(List::of).orElseGet(() -> metricsOf(device));
        List<Reading> out = new ArrayList<>();
        for (String m : metrics) {
            for (Tuple t : jedis.zrangeByScoreWithScores(
                    SpeedKeys.readings(device, m), fromMillis, Double.POSITIVE_INFINITY)) {
                out.add(parse(m, t.getElement()));
            }
        }
        out.sort((a, b) -> a.tsMillis() != b.tsMillis()
                ? Long.compare(a.tsMillis(), b.tsMillis())
                : a.metric().compareTo(b.metric()));
        return out;
    }

    /** The metrics a device has readings of. */
    public List<String> metricsOf(String device) {
        List<String> out = new ArrayList<>();
        String prefix = SpeedKeys.readings(device, "");
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(
                    cursor,
                    new ScanParams().match(SpeedKeys.readingsPattern(device)).count(1000));
            page.getResult().forEach(k -> out.add(k.substring(prefix.length())));
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        out.sort(null);
        return out;
    }

    /** Up to {@code limit} devices the speed layer holds latest values of, by name. */
    public List<String> devices(int limit) {
        List<String> out = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(
                    cursor, new ScanParams().match(SpeedKeys.latest("*")).count(1000));
            page.getResult()
                    .forEach(k -> out.add(k.substring(SpeedKeys.latest("").length())));
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && out.size() < limit * 10);
        out.sort(null);
        return out.subList(0, Math.min(limit, out.size()));
    }

    /** The alerts raised since {@code fromMillis}, newest first, at most {@code limit}. */
    public List<Alert> alerts(long fromMillis, int limit) {
        List<Alert> out = new ArrayList<>();
        for (StreamEntry e :
                jedis.xrevrange(SpeedKeys.ALERTS, (StreamEntryID) null, new StreamEntryID(fromMillis, 0), limit)) {
            out.add(new Alert(
                    e.getID().toString(), Instant.ofEpochMilli(e.getID().getTime()), e.getFields()));
        }
        return out;
    }

    /** Parses a member {@code ts:value:event_id}. */
    static Reading parse(String metric, String member) {
        int a = member.indexOf(':');
        int b = member.indexOf(':', a + 1);
        return new Reading(
                metric,
                Long.parseLong(member.substring(0, a)),
                Double.parseDouble(member.substring(a + 1, b)),
                member.substring(b + 1));
    }

    @Override
    public void close() {
        jedis.close();
    }
}
