package dev.sensorhouse.bench;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.cleanse.CleanseCounts;
import dev.sensorhouse.cleanse.CleanseJob;
import dev.sensorhouse.cli.Command;
import dev.sensorhouse.cli.Option;
import dev.sensorhouse.cli.Options;
import dev.sensorhouse.cli.ScratchLake;
import dev.sensorhouse.cli.UsageException;
import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.rollup.RollupCounts;
import dev.sensorhouse.rollup.RollupJob;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.simulate.InjectionReport;
import dev.sensorhouse.simulate.SimulateConfig;
import dev.sensorhouse.simulate.Simulator;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.RawZone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code sensorhouse bench}: the batch stages side by side with their peers, in one run, on the same
 * input.
 *
 * <ol>
 *   <li>Simulates a fixed volume (default 2,000,000 events from 1,000 devices over one day, default
 *       faults, seed 7) into a scratch lake.
 *   <li>Times Sensorhouse's cleanse and full rollup (with {@code --repeat N}, N times, each on a lake
 *       emptied of everything but the raw zone). The cleanse is the first Spark work of the JVM.
 *   <li>Then the peers on the same input: the plain Spark job ({@link SparkPeer}) and DuckDB doing
 *       the equivalent SQL work ({@link DuckDbPeer}) cleanse the same raw files; both roll up the
 *       readings Sensorhouse cleansed.
 *   <li>Adds 1% late events in three old hours, cleanses them incrementally and times the
 *       incremental rollup against the full one.
 *   <li>Prints the table: per stage seconds, the process's CPU seconds, items per second and the ratio
 *       to DuckDB; and the reconciliation of the cleanse.
 * </ol>
 *
 * {@code --small} times a realistic hourly run instead ({@link HourlyBench}).
 */
final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "benchmark: the batch stages against a plain Spark job and DuckDB on the same input (seconds, CPU, events/s)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("lake", "DIR", "./.bench/lake", "scratch lake (emptied first)"),
                Option.value("events", "N", "2000000", "events to simulate (not with --small)"),
                Option.value("devices", "N", "1000", "devices"),
                Option.value("faults", "none|default|heavy", "default", "fault injection rates"),
                Option.value("seed", "N", "7", "random seed"),
                Option.value(
                        "repeat",
                        "N",
                        "1",
                        "cleanse and rollup runs, each on a lake emptied of everything but the raw zone"),
                Option.flag(
                        "small",
                        "time one hourly run instead: the devices' arrival hour after two hours of history, every 60 s"),
                Option.value("peers", "true|false", "true", "also time the plain Spark job and DuckDB"));
    }

    /**
     * Writes {@code n} late agriculture events (temperature and humidity) of the given devices, with new
     * event ids and event times spread over hours 2 to 4 of the simulated day, into one raw file of the
     * arrival hour a day and six hours after the start.
     */
    static void writeLateEvents(Path lake, Instant start, List<String> deviceIds, long n, long seed)
            throws IOException {
        Instant arrival = start.plus(Duration.ofHours(30));
        Path dir = lake.resolve(RawZone.hourDir(arrival));
        Files.createDirectories(dir);
        Random random = new Random(seed);
        StringBuilder s = new StringBuilder();
        for (long i = 0; i < n; i++) {
            String device = deviceIds.get((int) (i % deviceIds.size()));
            Instant ts = start.plus(Duration.ofHours(2)).plusMillis((long)
                    (random.nextDouble() * Duration.ofHours(3).toMillis()));
            s.append(String.format(
                    Locale.ROOT,
                    "{\"event_id\":\"bench-late-%d\",\"device_id\":\"%s\",\"ts\":\"%s\",\"metrics\":{\"temperature\":%.2f,\"humidity\":%.1f}}%n",
                    i,
                    device,
                    ts,
                    10 + random.nextDouble() * 15,
                    40 + random.nextDouble() * 40));
        }
        Files.writeString(dir.resolve("bench-late.json"), s.toString());
    }

    @Override
    public int run(Options o) throws Exception {
        Path lake = Path.of(Lake.normalize(o.string("lake")));
        if (!List.of("true", "false").contains(o.string("peers"))) {
            throw new UsageException("bench: --peers must be true or false, got '" + o.string("peers") + "'");
        }
        boolean peers = o.string("peers").equals("true");
        if (o.flag("small")) {
            return new HourlyBench(lake, o.integer("devices"), o.longValue("seed"), peers, name()).run();
        }
        long events = o.longValue("events");
        int devices = o.integer("devices");
        if (events < devices) {
            throw new UsageException("bench: --events must be at least --devices (" + devices + "), got " + events);
        }
        Duration day = Duration.ofDays(1);
        Duration interval = Duration.ofNanos(day.toNanos() / (events / devices));
        ScratchLake.fresh(lake, name());
        Lake tables = Lake.at(SparkSessions.getOrCreate("sensorhouse-bench"), lake.toString());
        SimulateConfig sim = new SimulateConfig(
                lake.toString(),
                devices,
                SimulateConfig.DEFAULT_START,
                day,
                interval,
                SimulateConfig.Profile.AGRICULTURE,
                o.choice("faults", SimulateConfig.FaultLevel.class),
                o.longValue("seed"),
                false,
                1,
                true);
        System.out.printf(
                Locale.ROOT,
                "bench: %,d events, %,d devices, interval %s, %d cores, load average %s%n",
                events,
                devices,
                interval,
                Runtime.getRuntime().availableProcessors(),
                loadAverage());
        InjectionReport report = new Simulator(sim).run();
        System.out.printf(
                Locale.ROOT,
                "simulate  %8.2f s  %,12.0f events/s  (%,d lines)%n",
                report.seconds(),
                report.linesWritten() / report.seconds(),
                report.linesWritten());
        BenchTable table = new BenchTable();
        CleanseConfig config = CleanseConfig.incremental(lake.toString());
        JobResult<CleanseCounts> cleansed = null;
        JobResult<RollupCounts> full = null;
        Stopwatch.Timed<JobResult<RollupCounts>> fullTimed = null;
        for (int i = 1; i <= o.integer("repeat"); i++) {
            for (String zone : List.of("cleansed", "quarantine", "aggregated", "control")) {
                ScratchLake.clear(lake, name(), lake.resolve(zone));
            }
            String run = o.integer("repeat") > 1 ? " (run " + i + ")" : "";
            Stopwatch.Timed<JobResult<CleanseCounts>> c =
                    Stopwatch.time(() -> new CleanseJob(tables, config, "bench").run());
            cleansed = c.value();
            table.add(
                    "cleanse",
                    "sensorhouse",
                    "validate, quarantine, dedup, enrich, Delta, audit" + run,
                    cleansed.counts().linesIn(),
                    "lines",
                    c);
            fullTimed = Stopwatch.time(
                    () -> new RollupJob(tables, RollupConfig.incremental(lake.toString()), "bench").run());
            full = fullTimed.value();
            table.add(
                    "rollup",
                    "sensorhouse",
                    "full: hourly + daily, diff, MERGE, audit" + run,
                    full.counts().readingsRead(),
                    "readings",
                    fullTimed);
        }
        CleanseCounts counts = cleansed.counts();
        table.note(
                "cleanse reconciles: %,d lines in = %,d events + %,d quarantined lines + %,d duplicates (%s); %,d readings, %,d quarantine rows",
                counts.linesIn(),
                counts.eventsCleansed(),
                counts.linesQuarantined(),
                counts.duplicates(),
                counts.reconciles() ? "holds" : "DOES NOT HOLD",
                counts.readingsCleansed(),
                counts.quarantineRows());
        table.note(
                "rollup: %,d readings into %,d hourly and %,d daily rows",
                full.counts().readingsRead(),
                full.counts().hourlyRowsWritten(),
                full.counts().dailyRowsWritten());

        if (peers) {
            Dataset<Row> readings = tables.cleansedReadings().read();
            Peers.run(
                    tables.spark(),
                    lake.resolve("raw/sensor_events"),
                    "*/*/*/*/*.json*",
                    readings,
                    lake.resolve("peers"),
                    counts.linesIn(),
                    full.counts().readingsRead(),
                    table);
        }

        // Late data: 1% more events, arriving after the day, whose event times fall into three old hours.
        long late = Math.max(1, events / 100);
        List<String> deviceIds =
                tables
                        .cleansedReadings()
                        .read()
                        .select("device_id")
                        .distinct()
                        .orderBy("device_id")
                        .collectAsList()
                        .stream()
                        .map(r -> r.getString(0))
                        .toList();
        writeLateEvents(lake, sim.start(), deviceIds, late, o.longValue("seed"));
        Stopwatch.Timed<JobResult<CleanseCounts>> lateCleanse =
                Stopwatch.time(() -> new CleanseJob(tables, config, "bench").run());
        table.add(
                "late",
                "sensorhouse",
                "cleanse of 1% late events into 3 old hours",
                lateCleanse.value().counts().linesIn(),
                "lines",
                lateCleanse);
        Stopwatch.Timed<JobResult<RollupCounts>> incremental =
                Stopwatch.time(() -> new RollupJob(tables, RollupConfig.incremental(lake.toString()), "bench").run());
        table.add(
                "late",
                "sensorhouse",
                "incremental rollup of the touched buckets",
                incremental.value().counts().readingsRead(),
                "readings",
                incremental);
        table.note(
                "rollup incremental %.2f s vs full %.2f s: ratio %.2f (%,d buckets touched, %,d hourly and %,d daily rows written)",
                incremental.seconds(),
                fullTimed.seconds(),
                incremental.seconds() / fullTimed.seconds(),
                incremental.value().counts().bucketsTouched(),
                incremental.value().counts().hourlyRowsWritten(),
                incremental.value().counts().dailyRowsWritten());
        table.note("load average after: %s", loadAverage());
        System.out.println();
        table.print(System.out);
        return 0;
    }

    /** The machine's load averages (1, 5, 15 minutes), so a busy machine shows in the output. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", Arrays.copyOf(f, 3));
        } catch (IOException | RuntimeException e) {
            return String.format(
                    Locale.ROOT,
                    "%.2f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
        }
    }

    static MetricCatalog catalog() {
        return MetricCatalog.defaults();
    }
}
