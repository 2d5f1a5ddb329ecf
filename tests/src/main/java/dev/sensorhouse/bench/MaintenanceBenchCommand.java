package dev.sensorhouse.bench;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.cleanse.CleanseJob;
import dev.sensorhouse.cli.Command;
import dev.sensorhouse.cli.Option;
import dev.sensorhouse.cli.Options;
import dev.sensorhouse.cli.ScratchLake;
import dev.sensorhouse.cli.UsageException;
import dev.sensorhouse.maintain.MaintainConfig;
import dev.sensorhouse.maintain.MaintainCounts;
import dev.sensorhouse.maintain.MaintainJob;
import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.rollup.RollupJob;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.simulate.SimulateConfig;
import dev.sensorhouse.simulate.Simulator;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.TableMaintenance;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sensorhouse bench-maintenance}: what compaction buys a lake the hourly runs built.
 *
 * <ol>
 *   <li>Setup: simulate one day of N devices, then cleanse and roll up each arrival hour on its own, as
 *       the hourly Airflow DAG does, so every event date holds the small files of 24 commits.
 *   <li>Before: files and bytes of each fact table, and the time of a rollup recomputing the whole
 *       day ({@code --from/--to} the day: it reads every reading of the day), repeated.
 *   <li>{@code maintain} (timed), then the same figures after.
 * </ol>
 * It prints the figures and the ratio after/before of the rollup's median time.
 */
final class MaintenanceBenchCommand implements Command {
    private static final Instant DAY = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public String name() {
        return "bench-maintenance";
    }

    @Override
    public String summary() {
        return "benchmark: files, bytes and a day's rollup read time before and after maintain on an hourly-built lake";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("lake", "DIR", "./.bench/maintain-lake", "scratch lake (emptied first)"),
                Option.value("devices", "N", "200", "simulated devices"),
                Option.value("interval", "DURATION", "30s", "seconds between a device's readings"),
                Option.value("repeat", "N", "3", "rollup timings before and after"));
    }

    @Override
    public int run(Options o) throws Exception {
        Path lake = Path.of(Lake.normalize(o.string("lake")));
        int devices = o.integer("devices");
        int repeat = o.integer("repeat");
        if (devices < 1 || repeat < 1) {
            throw new UsageException("bench-maintenance: --devices and --repeat must be at least 1");
        }
        ScratchLake.fresh(lake, name());
        long t0 = System.nanoTime();
        new Simulator(SimulateConfig.defaults(lake.toString())
                        .withDevices(devices)
                        .withStart(DAY)
                        .withDuration(Duration.ofDays(1))
                        .withInterval(o.duration("interval")))
                .run();
        Lake l = Lake.at(SparkSessions.getOrCreate("sensorhouse-bench-maintenance"), lake.toString());
        for (int h = 0; h < 24; h++) {
            Instant from = DAY.plus(Duration.ofHours(h));
            Instant to = from.plus(Duration.ofHours(1));
            new CleanseJob(l, CleanseConfig.window(lake.toString(), from, to), "bench").run();
            new RollupJob(l, RollupConfig.window(lake.toString(), from, to), "bench").run();
        }
        System.out.printf(
                Locale.ROOT,
                "setup: one day of %,d devices cleansed and rolled up hour by hour in %.1f s%n",
                devices,
                (System.nanoTime() - t0) / 1e9);

        List<LakeTable> tables = List.of(l.cleansedReadings(), l.readingsHourly(), l.readingsDaily());
        Map<String, TableMaintenance.Size> before = sizes(l, tables);
        List<Double> rollupBefore = rollups(l, lake, repeat);
        JobResult<MaintainCounts> maintained =
                new MaintainJob(l, MaintainConfig.defaults(lake.toString()), "bench").run();
        System.out.print(maintained.summary());
        Map<String, TableMaintenance.Size> after = sizes(l, tables);
        List<Double> rollupAfter = rollups(l, lake, repeat);

        System.out.printf(Locale.ROOT, "%nMaintenance benchmark, one day of %,d devices built hour by hour%n", devices);
        for (String table : before.keySet()) {
            System.out.printf(
                    Locale.ROOT,
                    "  %-28s files %6d -> %6d   bytes %,14d -> %,14d%n",
                    table,
                    before.get(table).files(),
                    after.get(table).files(),
                    before.get(table).bytes(),
                    after.get(table).bytes());
        }
        System.out.printf(Locale.ROOT, "  maintain                     %.1f s%n", maintained.seconds());
        System.out.printf(
                Locale.ROOT,
                "  rollup of the day (s)        before %s  after %s  median ratio after/before %.2f%n",
                rollupBefore,
                rollupAfter,
                median(rollupAfter) / median(rollupBefore));
        return 0;
    }

    private static Map<String, TableMaintenance.Size> sizes(Lake l, List<LakeTable> tables) {
        Map<String, TableMaintenance.Size> sizes = new LinkedHashMap<>();
        for (LakeTable t : tables) {
            sizes.put(t.contract().table(), new TableMaintenance(l.spark(), t).size());
        }
        return sizes;
    }

    /** Seconds of {@code n} rollups recomputing the whole day (nothing changes, so each reads the same). */
    private static List<Double> rollups(Lake l, Path lake, int n) {
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            new RollupJob(l, RollupConfig.window(lake.toString(), DAY, DAY.plus(Duration.ofDays(1))), "bench").run();
            seconds.add(Math.round((System.nanoTime() - t) / 1e8) / 10.0);
        }
        return seconds;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
