package dev.sensorhouse.speed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Writes micro-batches of readings into the speed layer in Redis ({@link SpeedKeys}): per device one
 * call of the Lua script {@code apply-readings.lua} (atomic, idempotent), all devices of a batch in one
 * pipeline.
 *
 * <p>Redis away: every operation is retried on a new connection with a doubling pause (0.2 s up to
 * 5 s) until {@code retryFor} has passed, then fails with {@link RedisUnavailableException} naming
 * the server; the stream job then stops without completing the batch, so its checkpoint never passes
 * data that did not reach Redis. Retrying a batch is safe because applying it twice changes nothing.
 */
public final class RedisSpeedLayer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisSpeedLayer.class);

    /** How long a reading stays: 7 days of event time. */
    public static final Duration RETENTION = Duration.ofDays(7);

    private static final String SCRIPT = script();
    private static final long TTL_SECONDS = RETENTION.plusDays(1).toSeconds();

    private final URI url;
    private final Duration retryFor;
    private final long alertsMaxLen;
    private Jedis jedis;
    private String sha;

    /** Raised when Redis did not answer within the retry time. */
    public static final class RedisUnavailableException extends RuntimeException {
        RedisUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What one batch changed. */
    public record Applied(long readingsAdded, long alertsRaised) {}

    public RedisSpeedLayer(URI url, Duration retryFor, long alertsMaxLen) {
        this.url = url;
        this.retryFor = retryFor;
        this.alertsMaxLen = alertsMaxLen;
    }

    /** Fails at once, naming the server, when Redis does not answer PING (no retry: for start-up). */
    public static void checkReachable(URI url) {
        try (Jedis j = new Jedis(url, 5_000)) {
            j.ping();
        } catch (JedisConnectionException e) {
            throw new RedisUnavailableException(
                    "Redis at " + redacted(url) + " does not answer: " + rootMessage(e)
                            + " (start it, or pass --redis redis://HOST:PORT)",
                    e);
        }
    }

    /**
     * Applies {@code readings} (in stream order) and records each shard's newest sequence number in
     * {@link SpeedKeys#PROGRESS}. Readings before {@code horizonMillis} are ignored.
     */
    public Applied apply(List<SpeedReading> readings, long horizonMillis, Map<String, String> progress) {
        Map<String, List<String>> byDevice = new LinkedHashMap<>();
        for (SpeedReading r : readings) {
            List<String> args = byDevice.computeIfAbsent(r.deviceId(), d -> {
                List<String> a = new ArrayList<>();
                a.add(d);
                a.add(Long.toString(horizonMillis));
                a.add(Long.toString(TTL_SECONDS));
                a.add(Long.toString(alertsMaxLen));
                return a;
            });
            args.add(r.metric());
            args.add(Long.toString(r.tsMillis()));
            args.add(r.eventId());
            args.add(Double.toString(r.value()));
            args.add(r.alertLow() == null ? "" : Double.toString(r.alertLow()));
            args.add(r.alertHigh() == null ? "" : Double.toString(r.alertHigh()));
        }
        return withRetry(j -> {
            Pipeline p = j.pipelined();
            List<Response<Object>> answers = new ArrayList<>(byDevice.size());
            for (List<String> args : byDevice.values()) {
                answers.add(p.evalsha(sha, List.of(), args));
            }
            if (!progress.isEmpty()) {
                p.hset(SpeedKeys.PROGRESS, progress);
            }
            p.sync();
            long added = 0;
            long alerts = 0;
            for (Response<Object> a : answers) {
                List<?> counts = (List<?>) a.get();
                added += (Long) counts.get(0);
                alerts += (Long) counts.get(1);
            }
            return new Applied(added, alerts);
        });
    }

    /** Runs {@code work} on a connection, reconnecting and retrying with backoff while Redis is away. */
    public <T> T withRetry(Function<Jedis, T> work) {
        long deadline = System.nanoTime() + retryFor.toNanos();
        long pause = 200;
        while (true) {
            try {
                return work.apply(connection());
            } catch (JedisConnectionException e) {
                disconnect();
                if (System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw new RedisUnavailableException(
                            "Redis at " + redacted(url) + " did not answer for " + retryFor.toSeconds() + " s: "
                                    + rootMessage(e),
                            e);
                }
                LOG.warn("Redis at {} does not answer ({}); retrying in {} ms", redacted(url), rootMessage(e), pause);
                sleep(pause);
                pause = Math.min(5_000, pause * 2);
            } catch (redis.clients.jedis.exceptions.JedisNoScriptException e) {
                sha = null; // the server restarted without our script; load it again
            }
        }
    }

    private Jedis connection() {
        if (jedis == null) {
            jedis = new Jedis(url, 10_000);
        }
        if (sha == null) {
            sha = jedis.scriptLoad(SCRIPT);
        }
        return jedis;
    }

    private void disconnect() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
        jedis = null;
        sha = null;
    }

    @Override
    public void close() {
        disconnect();
    }

    /** The URL without its password. */
    static String redacted(URI url) {
        return url.getUserInfo() == null ? url.toString() : url.toString().replace(url.getUserInfo() + "@", "***@");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        }
    }

    private static String script() {
        String resource = "sensorhouse/speed/apply-readings.lua";
        try (InputStream in = RedisSpeedLayer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
