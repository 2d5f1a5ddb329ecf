package dev.sensorhouse.bench;

import dev.sensorhouse.cli.Command;
import dev.sensorhouse.cli.Option;
import dev.sensorhouse.cli.Options;
import dev.sensorhouse.cli.ScratchLake;
import dev.sensorhouse.cli.UsageException;
import dev.sensorhouse.dimensions.DimensionsConfig;
import dev.sensorhouse.dimensions.DimensionsCounts;
import dev.sensorhouse.dimensions.DimensionsJob;
import dev.sensorhouse.dimensions.NullRule;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.zones.Lake;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * {@code sensorhouse bench-dimensions}: the SCD2 merge benchmark. Writes a device snapshot of N
 * devices (default 1,000,000) and loads it into an empty dimension, then writes the next day's
 * snapshot with a fraction of the devices changed (default 1 %: firmware updates and moves) and
 * times its merge into the existing dimension, printing seconds and rows per second of each.
 */
final class DimensionsBenchCommand implements Command {
    @Override
    public String name() {
        return "bench-dimensions";
    }

    @Override
    public String summary() {
        return "benchmark: SCD2 merge of a large device snapshot with a fraction changed into an existing dimension";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("lake", "DIR", "./.bench/dims-lake", "scratch lake (emptied first)"),
                Option.value("devices", "N", "1000000", "devices in each snapshot"),
                Option.value("changed", "FRACTION", "0.01", "fraction of devices changed in the second snapshot"),
                Option.value("seed", "N", "7", "random seed"));
    }

    @Override
    public int run(Options o) throws Exception {
        Path lake = Path.of(Lake.normalize(o.string("lake")));
        int devices = o.integer("devices");
        double changed = Double.parseDouble(o.string("changed"));
        if (devices < 1 || changed < 0 || changed > 1) {
            throw new UsageException("bench-dimensions: --devices must be at least 1 and --changed between 0 and 1");
        }
        ScratchLake.fresh(lake, name());
        Path metadata = lake.resolve("raw/registry");
        long seed = o.longValue("seed");
        long t0 = System.nanoTime();
        writeSnapshot(metadata, "2026-01-01", devices, 0, seed);
        long changedCount = writeSnapshot(metadata, "2026-01-02", devices, changed, seed);
        Files.move(metadata.resolve("devices/2026-01-02.csv"), lake.resolve("next.csv"));
        System.out.printf(
                Locale.ROOT,
                "wrote two snapshots of %,d devices (%,d changed) in %.1f s%n",
                devices,
                changedCount,
                (System.nanoTime() - t0) / 1e9);

        Lake l = Lake.at(SparkSessions.getOrCreate("sensorhouse-bench-dimensions"), lake.toString());
        DimensionsConfig config = new DimensionsConfig(
                lake.toString(), Optional.of(metadata.toString()), Optional.empty(), NullRule.KEEP);
        JobResult<DimensionsCounts> initial = new DimensionsJob(l, config, "bench").run();
        System.out.print(initial.summary());
        Files.move(lake.resolve("next.csv"), metadata.resolve("devices/2026-01-02.csv"));
        JobResult<DimensionsCounts> merge = new DimensionsJob(l, config, "bench").run();
        System.out.print(merge.summary());
        System.out.printf(Locale.ROOT, "%nSCD2 benchmark, %,d devices%n", devices);
        System.out.printf(
                Locale.ROOT,
                "  initial load into an empty dimension   %7.1f s  %,10.0f rows/s%n",
                initial.seconds(),
                devices / initial.seconds());
        System.out.printf(
                Locale.ROOT,
                "  merge with %.1f%% changed (%,d rows)   %7.1f s  %,10.0f rows/s  (%,d versions written)%n",
                changed * 100,
                changedCount,
                merge.seconds(),
                devices / merge.seconds(),
                merge.counts().deviceVersionsWritten());
        return 0;
    }

    /** Writes a device snapshot; devices whose hash falls under {@code changed} get another firmware and field. */
    private static long writeSnapshot(Path metadata, String date, int devices, double changed, long seed)
            throws IOException {
        Files.createDirectories(metadata.resolve("devices"));
        SplittableRandom random = new SplittableRandom(seed);
        long n = 0;
        try (BufferedWriter w =
                Files.newBufferedWriter(metadata.resolve("devices/" + date + ".csv"), StandardCharsets.UTF_8)) {
            w.write("device_id,model,firmware,customer,farm,location_id,installed_at,status\n");
            for (int i = 0; i < devices; i++) {
                boolean change = random.nextDouble() < changed;
                n += change ? 1 : 0;
                int farm = i / 1000;
                w.write(String.format(
                        Locale.ROOT,
                        "farm-%04d-probe-%07d,SoilProbe X2,%s,customer-%03d,farm-%04d,loc-farm%04d-field-%d,2025-06-01T08:00:00Z,active%n",
                        farm,
                        i,
                        change ? "2.5.0" : "2.4.1",
                        farm % 97,
                        farm,
                        farm,
                        change ? 2 : 1));
            }
        }
        return n;
    }
}
