package dev.sensorhouse.simulate;

import dev.sensorhouse.zones.RawZone;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Simulates a fleet of IoT devices and writes their events to the raw zone exactly as Kinesis Data
 * Firehose would deliver them, with faults injected for the cleanse job to catch. Plain Java, no
 * Spark: it is the test-data generator and the demo's data source, and must be fast.
 *
 * <p>Layout: {@code <lake>/raw/sensor_events/year=YYYY/month=MM/day=DD/hour=HH/}{@code
 * sensorhouse-raw-1-YYYY-MM-DD-HH-00-00-<uuid>.json[.gz]}, one JSON event per line, partitioned by
 * <em>arrival</em> hour: arrival is the event time plus a delivery delay of 0-20 s, so events near
 * the end of an hour land in the next hour's folder, and late events land hours or days later. Each
 * arrival hour has up to {@code filesPerHour} files, devices split among them by a hash.
 *
 * <p>Steps of {@link #run()}:
 *
 * <ol>
 *   <li>split the devices into fixed shards (contiguous ranges; the split depends only on the device
 *       count, never on the number of threads);
 *   <li>build the device {@link Registry} and let the shards follow it (firmware updates, no events
 *       after retirement); unless {@code --registry false}, hand it to a writer thread, which
 *       writes its daily snapshots under {@code raw/registry/} and its DynamoDB-stream CDC files
 *       under {@code raw/registry_cdc/} ({@link RegistryFiles}) while the events are generated;
 *   <li>for each event-time hour, let every shard generate its devices' events of that hour in
 *       parallel, each line filed under its arrival hour and file index;
 *   <li>once an hour is generated no later event can arrive in it or before it, so hand every
 *       arrival hour up to it to the writer threads, which merge the shards' lines ordered by
 *       arrival time and write each file atomically (temporary {@code _} name, then rename) while
 *       the next hours are generated;
 *   <li>after the last hour, write the remaining (late and delayed) arrival hours;
 *   <li>write the {@link InjectionReport} (with the registry's section) to {@code
 *       <lake>/raw/_simulator/} and return it.
 * </ol>
 *
 * <p>Deterministic: the same config writes byte-identical files and file names, because every random
 * choice comes from per-device streams derived from the seed and the merge order is fixed. Rerunning
 * a config overwrites its own files.
 *
 * <p>Memory: the lines of the arrival hours in flight (the two being generated plus one per writer
 * thread and one queued) and the few late ones, at about 380 bytes per event. One hour of 1,000
 * devices at 43.2 s is 30 MB; of 1,000 devices at 5 s, 270 MB, so give such runs a few GB of heap.
 */
public final class Simulator {
    private static final long HOUR_MS = Shard.HOUR_MS;
    private static final int MAX_SHARDS = 16;
    private static final DateTimeFormatter REPORT_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm").withZone(ZoneOffset.UTC);

    private final SimulateConfig config;
    private final LakeOutput output;

    public Simulator(SimulateConfig config) {
        this(config, null);
    }

    /** With a given output (tests); null opens {@code config.lake()}. */
    Simulator(SimulateConfig config, LakeOutput output) {
        this.config = config;
        this.output = output;
    }

    /** Relative path of the report of a run of {@code config}, under the lake root. */
    public static String reportPath(SimulateConfig config) {
        return "raw/_simulator/simulate-" + REPORT_STAMP.format(config.start()) + "-seed" + config.seed() + ".json";
    }

    /** Relative folder of arrival hour {@code hourStart}, e.g. {@code raw/sensor_events/year=2026/month=01/day=01/hour=00}. */
    static String partition(long hourStart) {
        return RawZone.hourDir(Instant.ofEpochMilli(hourStart));
    }

    /** Simulates, writes the raw files and the report, and returns the report. */
    public InjectionReport run() {
        long began = System.nanoTime();
        int shardCount = Math.min(MAX_SHARDS, config.devices());
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), shardCount));
        ExecutorService workers = Executors.newFixedThreadPool(threads, daemons("sensorhouse-simulate"));
        ExecutorService writer = Executors.newFixedThreadPool(threads, daemons("sensorhouse-simulate-writer"));
        int maxPendingWrites = threads + 1;
        try (LakeOutput lake = output != null ? output : LakeOutput.open(config.lake())) {
            LineBuffer.Pool pool = new LineBuffer.Pool(4 * shardCount * config.filesPerHour());
            Shard[] shards = new Shard[shardCount];
            List<Callable<Shard>> setup = new ArrayList<>();
            for (int s = 0; s < shardCount; s++) {
                int first = (int) ((long) config.devices() * s / shardCount);
                int end = (int) ((long) config.devices() * (s + 1) / shardCount);
                int index = s;
                setup.add(() -> shards[index] = new Shard(config, first, end - first, pool));
            }
            invokeAll(workers, setup);

            // The registry decides which devices retire and when firmware changes, so the shards follow it.
            byte[][] initialFirmware = new byte[config.devices()][];
            for (int s = 0; s < shardCount; s++) {
                int first = (int) ((long) config.devices() * s / shardCount);
                int end = (int) ((long) config.devices() * (s + 1) / shardCount);
                for (int i = first; i < end; i++) {
                    initialFirmware[i] = shards[s].firmware(i);
                }
            }
            Registry registry = RegistryBuilder.build(config, i -> initialFirmware[i]);
            for (Shard shard : shards) {
                shard.follow(registry);
            }
            Future<RegistryReport> registryWritten =
                    config.registry() ? writer.submit(() -> RegistryFiles.write(registry, lake)) : null;

            Deque<Future<long[]>> writes = new ArrayDeque<>();
            long[] written = new long[4]; // files, bytes, first arrival hour, last arrival hour
            written[2] = Long.MAX_VALUE;
            written[3] = Long.MIN_VALUE;
            long startMs = config.start().toEpochMilli();
            long endMs = startMs + config.duration().toMillis();
            for (long hour = Shard.floorHour(startMs); hour < endMs; hour += HOUR_MS) {
                long until = hour + HOUR_MS;
                List<Callable<Shard>> generate = new ArrayList<>(shardCount);
                for (Shard shard : shards) {
                    generate.add(() -> {
                        shard.generate(until);
                        return shard;
                    });
                }
                invokeAll(workers, generate);
                submitHours(lake, writer, maxPendingWrites, writes, shards, hour, written, pool);
            }
            submitHours(lake, writer, maxPendingWrites, writes, shards, Long.MAX_VALUE, written, pool);
            while (!writes.isEmpty()) {
                accumulate(writes.removeFirst(), written);
            }

            Map<FaultKind, Long> faults = new EnumMap<>(FaultKind.class);
            long events = 0, lines = 0, readings = 0;
            for (Shard shard : shards) {
                events += shard.events;
                lines += shard.lines;
                readings += shard.readingsCleansed;
                for (FaultKind kind : FaultKind.values()) {
                    faults.merge(kind, shard.faults[kind.ordinal()], Long::sum);
                }
            }
            RegistryReport registryReport = registryWritten == null ? null : get(registryWritten);
            boolean any = written[0] > 0;
            InjectionReport report = InjectionReport.of(
                    config,
                    lines,
                    events,
                    faults,
                    (int) written[0],
                    written[1],
                    (System.nanoTime() - began) / 1e9,
                    any ? Instant.ofEpochMilli(written[2]) : null,
                    any ? Instant.ofEpochMilli(written[3] + HOUR_MS) : null,
                    readings,
                    registryReport);
            byte[] json = report.toJson().getBytes(StandardCharsets.UTF_8);
            lake.write(reportPath(config), out -> out.write(json));
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("simulate: cannot write to " + config.lake() + ": " + e.getMessage(), e);
        } finally {
            workers.shutdownNow();
            writer.shutdownNow();
        }
    }

    /** Takes every arrival hour up to {@code upTo} from all shards and queues it for writing. */
    private void submitHours(
            LakeOutput lake,
            ExecutorService writer,
            int maxPendingWrites,
            Deque<Future<long[]>> writes,
            Shard[] shards,
            long upTo,
            long[] written,
            LineBuffer.Pool pool) {
        TreeMap<Long, List<LineBuffer[]>> hours = new TreeMap<>();
        for (Shard shard : shards) { // shard order fixes the merge order
            NavigableMap<Long, LineBuffer[]> taken = shard.takeUpTo(upTo);
            taken.forEach((hour, buffers) ->
                    hours.computeIfAbsent(hour, h -> new ArrayList<>()).add(buffers));
        }
        for (Map.Entry<Long, List<LineBuffer[]>> e : hours.entrySet()) {
            long hour = e.getKey();
            List<LineBuffer[]> buffers = e.getValue();
            while (writes.size() >= maxPendingWrites) {
                accumulate(writes.removeFirst(), written);
            }
            writes.addLast(writer.submit(() -> writeHour(lake, hour, buffers, pool)));
        }
    }

    private static void accumulate(Future<long[]> write, long[] written) {
        long[] r = get(write);
        written[0] += r[0];
        written[1] += r[1];
        if (r[0] > 0) {
            written[2] = Math.min(written[2], r[2]);
            written[3] = Math.max(written[3], r[2]);
        }
    }

    /** Writes the files of one arrival hour; returns {files, bytes, hour}. */
    private long[] writeHour(LakeOutput lake, long hour, List<LineBuffer[]> shardBuffers, LineBuffer.Pool pool)
            throws IOException {
        long files = 0, bytes = 0;
        for (int f = 0; f < config.filesPerHour(); f++) {
            List<LineBuffer> parts = new ArrayList<>();
            for (LineBuffer[] buffers : shardBuffers) {
                if (buffers[f] != null && buffers[f].count > 0) {
                    parts.add(buffers[f]);
                }
            }
            if (parts.isEmpty()) {
                continue;
            }
            LineBuffer[] part = parts.toArray(new LineBuffer[0]);
            int[] base = new int[part.length + 1];
            for (int p = 0; p < part.length; p++) {
                base[p + 1] = base[p] + part[p].count;
            }
            // Order by arrival time; ties keep shard and generation order (the index in the low bits).
            long[] keys = new long[base[part.length]];
            for (int p = 0, k = 0; p < part.length; p++) {
                for (int i = 0; i < part[p].count; i++, k++) {
                    keys[k] = ((long) part[p].arrivals[i] << 32) | k;
                }
            }
            Arrays.sort(keys);
            bytes += lake.write(fileName(hour, f), out -> writeLines(out, part, base, keys));
            files++;
            for (LineBuffer written : part) {
                pool.give(written);
            }
        }
        shardBuffers.clear();
        return new long[] {files, bytes, hour};
    }

    private void writeLines(OutputStream target, LineBuffer[] part, int[] base, long[] keys) throws IOException {
        OutputStream out = config.gzip() ? new FastGzip(target) : target;
        int p = 0;
        for (long key : keys) {
            int k = (int) key;
            if (k < base[p] || k >= base[p + 1]) { // every part is non-empty, so base is strictly increasing
                p = Arrays.binarySearch(base, k);
                p = p >= 0 ? p : -p - 2;
            }
            LineBuffer b = part[p];
            int i = k - base[p];
            out.write(b.data, b.start(i), b.length(i));
        }
        if (out instanceof FastGzip gzip) {
            gzip.finish();
        }
    }

    /**
     * {@code sensorhouse-raw-1-YYYY-MM-DD-HH-00-00-<uuid>.json[.gz]} under the hour's partition: the
     * Firehose name (stream, version, time, random id) with an id derived from the config, the hour and
     * the file index, so reruns of a config replace their own files and never anyone else's. The
     * gzip flag is left out: a gzip run has the same names plus {@code .gz}.
     */
    String fileName(long hour, int file) {
        String stamp = new LineBuilder(24).appendLocalDateTime(hour, 0).toString();
        long h = Seeds.of(configHash(), hour, file);
        long hi = (h & ~0xF000L) | 0x4000L; // shaped like Firehose's random (version 4) UUIDs
        long lo = (Seeds.mix(h) & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        String id = new LineBuilder(36).appendUuid(hi, lo).toString();
        return partition(hour)
                + "/sensorhouse-raw-1-"
                + stamp.substring(0, 10)
                + "-"
                + stamp.substring(11, 13)
                + "-00-00-"
                + id
                + (config.gzip() ? ".json.gz" : ".json");
    }

    private long configHash() {
        long h = Seeds.mix(config.seed());
        for (long v : new long[] {
            config.devices(),
            config.start().toEpochMilli(),
            config.duration().toMillis(),
            config.interval().toMillis(),
            config.profile().ordinal(),
            config.faults().ordinal(),
            config.filesPerHour()
        }) { // not gzip: a gzip run has the same names as a plain run, plus .gz
            h = Seeds.mix(h ^ v);
        }
        return h;
    }

    /** gzip at the fastest level: raw files are written once and read once, speed matters more. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    private static <T> void invokeAll(ExecutorService pool, List<Callable<T>> tasks) {
        try {
            for (Future<T> f : pool.invokeAll(tasks)) {
                get(f);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("simulate: interrupted", e);
        }
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("simulate: interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException("simulate: " + io.getMessage(), io);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("simulate: " + cause, cause);
        }
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
