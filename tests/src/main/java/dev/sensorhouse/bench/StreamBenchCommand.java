package dev.sensorhouse.bench;

import dev.sensorhouse.cli.Command;
import dev.sensorhouse.cli.Option;
import dev.sensorhouse.cli.Options;
import dev.sensorhouse.cli.ScratchLake;
import dev.sensorhouse.cli.UsageException;
import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.speed.SpeedKeys;
import dev.sensorhouse.stream.IngestStreamConfig;
import dev.sensorhouse.stream.IngestStreamJob;
import dev.sensorhouse.stream.StreamCounts;
import dev.sensorhouse.stream.emulation.LocalStreamServices;
import dev.sensorhouse.stream.kinesis.KinesisProducer;
import dev.sensorhouse.zones.Lake;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * {@code sensorhouse bench-stream}: puts events at a fixed rate into local Kinesis emulation (kinesalite,
 * dynalite) for {@code --seconds}, runs {@code ingest-stream} on them in this JVM, and prints the
 * sustained rate, put → visible-in-Redis and put → alert latencies, and the consumer lag.
 *
 * <p>How it measures, from outside the job: each PutRecords answer gives every record's shard and
 * sequence number and its put time (when the emulator acknowledged it). A poller reads the job's
 * progress hash ({@code sh:stream:progress}: per shard the newest sequence number whose batch reached
 * Redis) every 5 ms; a record is visible at the first poll that shows its sequence number or a later
 * one of its shard. One event in 50 of each device is above the temperature alert_high and the next
 * is back to normal, so alerts flow all the time; an {@code XREAD} on {@code sh:alerts} times them
 * against their event's put time. Lag: records put but not yet visible, sampled every second.
 */
public final class StreamBenchCommand implements Command {
    private static final int CHUNK = 500;

    @Override
    public String name() {
        return "bench-stream";
    }

    @Override
    public String summary() {
        return "stream benchmark: events at a fixed rate through local Kinesis emulation and ingest-stream; latencies and lag";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("rate", "N", "5000", "events per second to put"),
                Option.value("seconds", "N", "60", "how long to put events"),
                Option.value("devices", "N", "1000", "devices the events come from"),
                Option.value("shards", "N", "4", "shards of the stream"),
                Option.value("producers", "N", "4", "producer threads"),
                Option.value("lake", "DIR", "./.bench/stream-lake", "scratch lake (replaced)"));
    }

    record Chunk(long putNanos, String[] shards, BigInteger[] seqs) {}

    @Override
    public int run(Options o) throws Exception {
        double rate = o.integer("rate");
        int seconds = o.integer("seconds");
        int devices = o.integer("devices");
        int shards = o.integer("shards");
        Path lake = Path.of(o.string("lake")).toAbsolutePath();
        Path bin = LocalStreamServices.find(Optional.empty())
                .orElseThrow(() -> new UsageException("bench-stream: kinesalite and dynalite not found under "
                        + LocalStreamServices.INSTALL_DIR + " (tests/run.sh installs them)"));
        ScratchLake.fresh(lake, name());
        try (LocalStreamServices services = LocalStreamServices.start(bin, lake.resolve("_services"))) {
            String redis = services.startRedis(lake.resolve("_services"));
            System.setProperty("aws.accessKeyId", "bench");
            System.setProperty("aws.secretKey", "bench");
            IngestStreamConfig config = services.ingestConfig(
                    lake,
                    "bench",
                    "bench-stream",
                    redis,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60),
                    MetricCatalog.defaults(),
                    Duration.ofSeconds(seconds + 300L),
                    Duration.ofSeconds(20));
            // the KCL's emulator endpoints are JVM-wide AWS SDK v1 settings: set before any SDK client exists
            config.source().prepareJvm();
            try (KinesisProducer p =
                    new KinesisProducer("bench", "us-east-1", Optional.of(services.kinesisEndpoint()))) {
                p.createStreamIfMissing(shards);
            }
            ExecutorService pool = Executors.newFixedThreadPool(o.integer("producers") + 3);
            Lake tables = Lake.at(IngestStreamJob.session("sensorhouse-bench-stream"), config.lake());
            Future<JobResult<StreamCounts>> job =
                    pool.submit(() -> new IngestStreamJob(tables, config, "bench-stream").run());
            warmUp(services, redis);
            System.err.println(
                    "bench-stream: the job reads; putting " + (long) rate + " events/s for " + seconds + " s");
            Measurement m = new Measurement(URI.create(redis));
            Future<?> poller = pool.submit(m::pollProgress);
            Future<?> alerts = pool.submit(m::readAlerts);
            long total = (long) (rate * seconds);
            long start = System.nanoTime() + 200_000_000L;
            AtomicLong nextChunk = new AtomicLong();
            List<Future<?>> producers = new ArrayList<>();
            for (int t = 0; t < o.integer("producers"); t++) {
                producers.add(pool.submit(() -> produce(services, m, nextChunk, total, rate, devices, start)));
            }
            for (Future<?> f : producers) {
                f.get();
            }
            long producedNanos = System.nanoTime() - start;
            JobResult<StreamCounts> result = job.get();
            m.done = true;
            poller.get();
            alerts.get();
            pool.shutdownNow();
            System.out.print(m.report(total, producedNanos, rate, seconds, shards));
            System.out.print(result.summary());
        }
        return 0;
    }

    /** Puts probe records until the job shows progress, so the timed run does not include the KCL's start-up. */
    private static void warmUp(LocalStreamServices services, String redis) throws InterruptedException {
        try (KinesisProducer p = new KinesisProducer("bench", "us-east-1", Optional.of(services.kinesisEndpoint()));
                Jedis j = new Jedis(URI.create(redis))) {
            for (int i = 0; !j.exists(SpeedKeys.PROGRESS); i++) {
                p.put(List.of(new KinesisProducer.Entry(
                        "warmup", event("warmup-" + i, "warmup", System.currentTimeMillis(), 20))));
                Thread.sleep(500);
                if (i > 240) {
                    throw new IllegalStateException("the job showed no progress within 120 s");
                }
            }
        }
    }

    private static void produce(
            LocalStreamServices services,
            Measurement m,
            AtomicLong nextChunk,
            long total,
            double rate,
            int devices,
            long start) {
        try (KinesisProducer p = new KinesisProducer("bench", "us-east-1", Optional.of(services.kinesisEndpoint()))) {
            for (long k; (k = nextChunk.getAndIncrement()) * CHUNK < total; ) {
                long due = start + (long) (k * CHUNK / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                List<KinesisProducer.Entry> entries = new ArrayList<>(CHUNK);
                List<String> alertIds = new ArrayList<>();
                long now = System.currentTimeMillis();
                for (long i = k * CHUNK; i < Math.min(total, (k + 1) * CHUNK); i++) {
                    String device = "bench-" + (i % devices);
                    long n = i / devices;
                    boolean crossing = n % 50 == 49 || n % 50 == 0 && n > 0;
                    double temperature = n % 50 == 49 ? 50 : 20 + (i % 7) * 0.1;
                    String id = "e" + i;
                    entries.add(new KinesisProducer.Entry(device, event(id, device, now, temperature)));
                    if (crossing) {
                        alertIds.add(id);
                    }
                }
                List<KinesisProducer.Put> puts = p.put(entries);
                long acked = System.nanoTime();
                String[] shards = new String[puts.size()];
                BigInteger[] seqs = new BigInteger[puts.size()];
                for (int i = 0; i < puts.size(); i++) {
                    shards[i] = puts.get(i).shardId();
                    seqs[i] = new BigInteger(puts.get(i).sequenceNumber());
                }
                m.chunks.add(new Chunk(acked, shards, seqs));
                alertIds.forEach(id -> m.alertPuts.put(id, acked));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String event(String id, String device, long tsMillis, double temperature) {
        return "{\"event_id\":\"" + id + "\",\"device_id\":\"" + device + "\",\"ts\":" + tsMillis
                + ",\"metrics\":{\"temperature\":" + temperature + ",\"humidity\":55.5},\"battery_v\":3.9,\"seq\":1}";
    }

    /** What the poller and the alert reader saw, and the figures drawn from it. */
    static final class Measurement {
        final URI redis;
        final ConcurrentLinkedQueue<Chunk> chunks = new ConcurrentLinkedQueue<>();
        final Map<String, Long> alertPuts = new ConcurrentHashMap<>();
        final List<Long> alertLatencies = new ArrayList<>();
        final Map<String, List<long[]>> progressTimes = new HashMap<>();
        final Map<String, List<BigInteger>> progressSeqs = new HashMap<>();
        final List<long[]> lagSamples = new ArrayList<>();
        volatile boolean done;

        Measurement(URI redis) {
            this.redis = redis;
        }

        void pollProgress() {
            Map<String, String> last = new HashMap<>();
            while (!done) {
                try (Jedis j = new Jedis(redis, 30_000)) {
                    while (!done) {
                        long now = System.nanoTime();
                        for (Map.Entry<String, String> e :
                                j.hgetAll(SpeedKeys.PROGRESS).entrySet()) {
                            if (e.getKey().startsWith("shardId")
                                    && !e.getValue().equals(last.get(e.getKey()))) {
                                last.put(e.getKey(), e.getValue());
                                progressTimes
                                        .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                                        .add(new long[] {now});
                                progressSeqs
                                        .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                                        .add(new BigInteger(e.getValue()));
                            }
                        }
                        sleep(5);
                    }
                } catch (JedisConnectionException slow) {
                    System.err.println(
                            "bench-stream: the progress poll timed out (" + slow.getMessage() + "); polling again");
                }
            }
        }

        void readAlerts() {
            StreamEntryID from = StreamEntryID.XREAD_NEW_ENTRY;
            while (!done) {
                try (Jedis j = new Jedis(redis, 30_000)) {
                    while (!done) {
                        var answer = j.xread(
                                XReadParams.xReadParams().block(500).count(10_000), Map.of(SpeedKeys.ALERTS, from));
                        long now = System.nanoTime();
                        if (answer == null) {
                            continue;
                        }
                        for (var stream : answer) {
                            for (StreamEntry e : stream.getValue()) {
                                from = e.getID();
                                Long put = alertPuts.get(e.getFields().get("event_id"));
                                if (put != null) {
                                    alertLatencies.add(now - put);
                                }
                            }
                        }
                    }
                } catch (JedisConnectionException slow) {
                    System.err.println(
                            "bench-stream: the alert read timed out (" + slow.getMessage() + "); reading again");
                }
            }
        }

        String report(long total, long producedNanos, double rate, int seconds, int shards) {
            List<Chunk> all = new ArrayList<>(chunks);
            long firstPut = all.stream().mapToLong(Chunk::putNanos).min().orElse(0);
            long[] latencies = new long[(int) total];
            long[] putAt = new long[(int) total];
            int n = 0;
            long lastVisible = 0;
            for (Chunk c : all) {
                for (int i = 0; i < c.seqs().length; i++) {
                    long visible = visibleAt(c.shards()[i], c.seqs()[i]);
                    if (visible == Long.MAX_VALUE) {
                        continue;
                    }
                    putAt[n] = c.putNanos();
                    latencies[n++] = visible - c.putNanos();
                    lastVisible = Math.max(lastVisible, visible);
                }
            }
            long[] lat = Arrays.copyOf(latencies, n);
            long[] visibleAt = new long[n];
            for (int i = 0; i < n; i++) {
                visibleAt[i] = putAt[i] + lat[i];
            }
            Arrays.sort(lat);
            long[] puts = Arrays.copyOf(putAt, n);
            Arrays.sort(puts);
            Arrays.sort(visibleAt);
            long maxLag = 0;
            for (long t = firstPut; t <= lastVisible; t += 1_000_000_000L) {
                maxLag = Math.max(maxLag, count(puts, t) - count(visibleAt, t));
            }
            long[] alerts =
                    alertLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
            StringBuilder s = new StringBuilder();
            s.append(String.format(
                    Locale.ROOT,
                    "bench-stream: %,d events (%,.0f/s target, %d s), %d shards, kinesalite + dynalite, 1 s batches%n",
                    total,
                    rate,
                    seconds,
                    shards));
            s.append(String.format(
                    Locale.ROOT,
                    "  put:        %,.0f events/s achieved (%.1f s)%n",
                    total / (producedNanos / 1e9),
                    producedNanos / 1e9));
            s.append(String.format(
                    Locale.ROOT,
                    "  sustained:  %,.0f events/s from first put to last visible (%,d of %,d visible)%n",
                    n / ((lastVisible - firstPut) / 1e9),
                    n,
                    total));
            s.append(String.format(
                    Locale.ROOT,
                    "  put -> visible in Redis: p50 %s  p95 %s  p99 %s  max %s%n",
                    ms(lat, 0.50),
                    ms(lat, 0.95),
                    ms(lat, 0.99),
                    ms(lat, 1.0)));
            s.append(String.format(
                    Locale.ROOT,
                    "  put -> alert (%,d alerts): p50 %s  p99 %s  max %s%n",
                    alerts.length,
                    ms(alerts, 0.50),
                    ms(alerts, 0.99),
                    ms(alerts, 1.0)));
            s.append(String.format(
                    Locale.ROOT,
                    "  consumer lag: at most %,d events put and not yet visible (sampled every second)%n",
                    maxLag));
            return s.toString();
        }

        private long visibleAt(String shard, BigInteger seq) {
            List<BigInteger> seqs = progressSeqs.getOrDefault(shard, List.of());
            List<long[]> times = progressTimes.get(shard);
            int lo = 0;
            int hi = seqs.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (seqs.get(mid).compareTo(seq) >= 0) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo < seqs.size() ? times.get(lo)[0] : Long.MAX_VALUE;
        }

        private static long count(long[] sorted, long t) {
            int i = Arrays.binarySearch(sorted, t);
            return i >= 0 ? i + 1 : -i - 1;
        }

        private static String ms(long[] sorted, double q) {
            if (sorted.length == 0) {
                return "-";
            }
            int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
            return String.format(Locale.ROOT, "%,.0f ms", sorted[Math.max(0, i)] / 1e6);
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
