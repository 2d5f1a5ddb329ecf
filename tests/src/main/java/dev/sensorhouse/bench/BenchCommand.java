package dev.sensorhouse.bench;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.cleanse.CleanseCounts;
import dev.sensorhouse.cleanse.CleanseJob;
import dev.sensorhouse.cli.Command;
import dev.sensorhouse.cli.Option;
import dev.sensorhouse.cli.Options;
import dev.sensorhouse.cli.ScratchLake;
import dev.sensorhouse.cli.UsageException;
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
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code sensorhouse bench}: simulates a fixed volume (default 2,000,000 events from 1,000 devices over
 * one day, default faults, seed 7) into a scratch lake and times each stage (cleanse, full rollup),
 * printing seconds and events per second. With {@code --repeat N} cleanse and rollup run N times, each
 * on an emptied lake. Then it adds 1% late events in three old hours, cleanses them incrementally and
 * times the incremental rollup against the full one.
 */
final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "benchmark: simulate a fixed volume and time each batch stage (events per second)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("lake", "DIR", "./.bench/lake", "scratch lake (emptied first)"),
                Option.value("events", "N", "2000000", "events to simulate"),
                Option.value("devices", "N", "1000", "devices"),
                Option.value("faults", "none|default|heavy", "default", "fault injection rates"),
                Option.value("seed", "N", "7", "random seed"),
                Option.value(
                        "repeat",
                        "N",
                        "1",
                        "cleanse and rollup runs, each on a lake emptied of everything but the raw zone"));
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
                "bench: %,d events, %,d devices, interval %s, %d cores%n",
                events,
                devices,
                interval,
                Runtime.getRuntime().availableProcessors());
        InjectionReport report = new Simulator(sim).run();
        System.out.printf(
                Locale.ROOT,
                "simulate  %8.2f s  %,12.0f events/s  (%,d lines)%n",
                report.seconds(),
                report.linesWritten() / report.seconds(),
                report.linesWritten());
        CleanseConfig config = CleanseConfig.incremental(lake.toString());
        JobResult<CleanseCounts> result = null;
        JobResult<RollupCounts> full = null;
        for (int i = 1; i <= o.integer("repeat"); i++) {
            for (String zone : List.of("cleansed", "quarantine", "aggregated", "control")) {
                ScratchLake.clear(lake, name(), lake.resolve(zone));
            }
            result = new CleanseJob(tables, config, "bench").run();
            System.out.printf(
                    Locale.ROOT,
                    "cleanse   %8.2f s  %,12.0f events/s  (run %d: %,d lines, %,d readings)%n",
                    result.seconds(),
                    result.perSecond(result.counts().linesIn()),
                    i,
                    result.counts().linesIn(),
                    result.counts().readingsCleansed());
            full = new RollupJob(tables, RollupConfig.incremental(lake.toString()), "bench").run();
            System.out.printf(
                    Locale.ROOT,
                    "rollup    %8.2f s  %,12.0f events/s  (run %d: %,d readings into %,d hourly and %,d daily rows)%n",
                    full.seconds(),
                    result.counts().linesIn() / full.seconds(),
                    i,
                    full.counts().readingsRead(),
                    full.counts().hourlyRowsWritten(),
                    full.counts().dailyRowsWritten());
        }

        // Late data: 1% more events, arriving after the day, whose event times fall into three old hours.
        long late = Math.max(1, events / 100);
        List<String> deviceIds = Lake.at(SparkSessions.getOrCreate("sensorhouse-bench"), lake.toString())
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
        JobResult<CleanseCounts> lateCleanse = new CleanseJob(tables, config, "bench").run();
        System.out.printf(Locale.ROOT, "late      %,d events into 3 hours of the day, arriving a day later%n", late);
        System.out.printf(
                Locale.ROOT,
                "cleanse   %8.2f s  %,12.0f events/s  (incremental: %,d lines)%n",
                lateCleanse.seconds(),
                lateCleanse.perSecond(lateCleanse.counts().linesIn()),
                lateCleanse.counts().linesIn());
        JobResult<RollupCounts> incremental =
                new RollupJob(tables, RollupConfig.incremental(lake.toString()), "bench").run();
        System.out.printf(
                Locale.ROOT,
                "rollup    %8.2f s  incremental: %,d buckets touched, %,d hourly and %,d daily rows written%n",
                incremental.seconds(),
                incremental.counts().bucketsTouched(),
                incremental.counts().hourlyRowsWritten(),
                incremental.counts().dailyRowsWritten());
        System.out.printf(
                Locale.ROOT,
                "rollup    incremental %.2f s vs full %.2f s: ratio %.2f%n",
                incremental.seconds(),
                full.seconds(),
                incremental.seconds() / full.seconds());
        return 0;
    }
}
