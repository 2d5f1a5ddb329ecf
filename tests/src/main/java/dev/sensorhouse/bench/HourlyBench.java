package dev.sensorhouse.bench;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.cleanse.CleanseCounts;
import dev.sensorhouse.cleanse.CleanseJob;
import dev.sensorhouse.cli.ScratchLake;
import dev.sensorhouse.dimensions.DimensionsConfig;
import dev.sensorhouse.dimensions.DimensionsCounts;
import dev.sensorhouse.dimensions.DimensionsJob;
import dev.sensorhouse.dimensions.NullRule;
import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.rollup.RollupCounts;
import dev.sensorhouse.rollup.RollupJob;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.simulate.SimulateConfig;
import dev.sensorhouse.simulate.Simulator;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.RawZone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code sensorhouse bench --small}: a realistic hourly run, where fixed costs dominate.
 *
 * <ol>
 *   <li>Simulates three hours of the devices (every 60 s, default faults, with the registry) into a
 *       source folder inside the scratch lake.
 *   <li>Moves the raw events and registry CDC of the arrival hours before the third hour into the
 *       lake and runs dimensions, cleanse and rollup on them: the lake's history, not timed.
 *   <li>Moves in the third arrival hour and times the hourly run on it: dimensions (its CDC), cleanse
 *       (its events), rollup (the buckets they touched).
 *   <li>The peers cleanse the same hour's raw files and roll up the readings that run cleansed.
 * </ol>
 *
 * The JVM is warm by then (the history ran in it); a cold hourly run is the whole command, e.g.
 * {@code ./sensorhouse cleanse --lake DIR} timed from outside.
 */
final class HourlyBench {
    static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final Pattern HOUR = Pattern.compile(".*/year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/hour=(\\d{2})$");

    private final Path lake;
    private final int devices;
    private final long seed;
    private final boolean peers;
    private final String command;

    HourlyBench(Path lake, int devices, long seed, boolean peers, String command) {
        this.lake = lake;
        this.devices = devices;
        this.seed = seed;
        this.peers = peers;
        this.command = command;
    }

    int run() throws Exception {
        ScratchLake.fresh(lake, command);
        Path source = lake.resolve("source");
        Instant start = SimulateConfig.DEFAULT_START;
        new Simulator(new SimulateConfig(
                        source.toString(),
                        devices,
                        start,
                        Duration.ofHours(3),
                        INTERVAL,
                        SimulateConfig.Profile.AGRICULTURE,
                        SimulateConfig.FaultLevel.DEFAULT,
                        seed,
                        false,
                        1,
                        true))
                .run();
        Instant hour = start.plus(Duration.ofHours(2));
        System.out.printf(
                Locale.ROOT,
                "bench --small: %,d devices every %d s; history before %s, then the hourly run of arrival hour %s; %d cores, load average %s%n",
                devices,
                INTERVAL.toSeconds(),
                hour,
                hour,
                Runtime.getRuntime().availableProcessors(),
                BenchCommand.loadAverage());
        Lake tables = Lake.at(SparkSessions.getOrCreate("sensorhouse-bench"), lake.toString());
        DimensionsConfig dims = new DimensionsConfig(
                lake.toString(),
                Optional.empty(),
                Optional.of(lake.resolve("raw/registry_cdc").toString()),
                NullRule.KEEP);
        CleanseConfig cleanse = CleanseConfig.incremental(lake.toString());
        RollupConfig rollup = RollupConfig.incremental(lake.toString());

        long moved = move(source, Instant.MIN, hour);
        System.out.printf(Locale.ROOT, "history: %d raw hour folders%n", moved);
        System.out.print(new DimensionsJob(tables, dims, "bench").run().summary());
        System.out.print(new CleanseJob(tables, cleanse, "bench").run().summary());
        System.out.print(new RollupJob(tables, rollup, "bench").run().summary());

        move(source, hour, hour.plus(Duration.ofHours(1)));
        BenchTable table = new BenchTable();
        Stopwatch.Timed<JobResult<DimensionsCounts>> d =
                Stopwatch.time(() -> new DimensionsJob(tables, dims, "bench").run());
        table.add(
                "hourly",
                "sensorhouse",
                "dimensions: the hour's registry CDC",
                d.value().counts().recordsIn(),
                "records",
                d);
        Stopwatch.Timed<JobResult<CleanseCounts>> c =
                Stopwatch.time(() -> new CleanseJob(tables, cleanse, "bench").run());
        CleanseCounts counts = c.value().counts();
        table.add("hourly", "sensorhouse", "cleanse: the hour's raw events", counts.linesIn(), "lines", c);
        Stopwatch.Timed<JobResult<RollupCounts>> r = Stopwatch.time(() -> new RollupJob(tables, rollup, "bench").run());
        table.add(
                "hourly",
                "sensorhouse",
                "rollup: the buckets the hour touched",
                r.value().counts().readingsRead(),
                "readings",
                r);
        table.note(
                "hourly run: %.2f s (dimensions %.2f + cleanse %.2f + rollup %.2f), %.2f CPU s",
                d.seconds() + c.seconds() + r.seconds(),
                d.seconds(),
                c.seconds(),
                r.seconds(),
                d.cpuSeconds() + c.cpuSeconds() + r.cpuSeconds());
        table.note(
                "cleanse reconciles: %,d lines in = %,d events + %,d quarantined lines + %,d duplicates (%s)",
                counts.linesIn(),
                counts.eventsCleansed(),
                counts.linesQuarantined(),
                counts.duplicates(),
                counts.reconciles() ? "holds" : "DOES NOT HOLD");
        if (peers) {
            Path hourDir = lake.resolve(RawZone.hourDir(hour));
            Peers.run(
                    tables.spark(),
                    hourDir,
                    "*.json*",
                    tables.cleansedReadings()
                            .read()
                            .filter(org.apache
                                    .spark
                                    .sql
                                    .functions
                                    .col("run_id")
                                    .equalTo(c.value().runId())),
                    lake.resolve("peers"),
                    counts.linesIn(),
                    counts.readingsCleansed(),
                    table);
        }
        table.note("load average after: %s", BenchCommand.loadAverage());
        System.out.println();
        table.print(System.out);
        return 0;
    }

    /**
     * Moves the raw event and registry CDC hour folders of arrival hours in {@code [from, to)} from the
     * source into the lake; returns how many.
     */
    private long move(Path source, Instant from, Instant to) throws IOException {
        long n = 0;
        for (String zone : List.of(RawZone.EVENTS_DIR, "raw/registry_cdc")) {
            Path dir = source.resolve(zone);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> hours;
            try (Stream<Path> s = Files.walk(dir, 4)) {
                hours = s.filter(p -> HOUR.matcher(p.toString()).matches()).toList();
            }
            for (Path h : hours) {
                Matcher m = HOUR.matcher(h.toString());
                m.matches();
                Instant at = LocalDateTime.of(
                                Integer.parseInt(m.group(1)),
                                Integer.parseInt(m.group(2)),
                                Integer.parseInt(m.group(3)),
                                Integer.parseInt(m.group(4)),
                                0)
                        .toInstant(ZoneOffset.UTC);
                if (!at.isBefore(from) && at.isBefore(to)) {
                    Path target = lake.resolve(source.relativize(h).toString());
                    Files.createDirectories(target.getParent());
                    Files.move(h, target);
                    n++;
                }
            }
        }
        return n;
    }
}
