package dev.sensorhouse.cli;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.dimensions.DimensionsConfig;
import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.runtime.JobFailedException;
import dev.sensorhouse.runtime.Progress;
import dev.sensorhouse.warehouse.WarehouseConfig;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.WriterLock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code sensorhouse run}: every batch stage in order (dimensions, cleanse, an incremental rollup,
 * then the load into the warehouse, by default the embedded DuckDB file LAKE/warehouse.duckdb), stopping at the first failure with {@code run: stage NAME failed: …} and exit code 1.
 * Dimensions come first so that new readings get the keys of the versions they belong to. The
 * dimensions stage reads {@code --metadata}/{@code --cdc}, by default the simulator's registry
 * folders in the lake when they exist (and is skipped when there are none).
 */
final class RunCommand implements Command {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the batch stages in order: dimensions, cleanse, rollup, load-warehouse (stops at the first failure)";
    }

    @Override
    public List<Option> options() {
        return CommonOptions.RUN;
    }

    @Override
    public int run(Options o) {
        CommonOptions.existingLake(name(), o);
        String args = Main.argsOf(o);
        Optional<DimensionsConfig> dims = CommonOptions.dimensionsConfig(o, true);
        CleanseConfig cleanse = CommonOptions.cleanseConfig(o);
        RollupConfig rollup = RollupConfig.incremental(CommonOptions.lakeRoot(o));
        WarehouseConfig warehouse = LoadWarehouseCommand.config(o);
        Lake lake = CommonOptions.lake(o, name());
        Progress progress = new Progress(name());
        // One lock over the lake stages, so no other job writes between them (each stage re-enters it).
        try (WriterLock.Lease lock = lake.writerLock().acquire(name(), lake.lockWait(), progress::note)) {
            if (dims.isEmpty()) {
                System.out.println("dimensions: no registry snapshots or CDC files (--metadata, --cdc); stage skipped");
            } else if (!stage(
                    "dimensions",
                    () -> DimensionsCommand.dimensions(lake, dims.get(), args).summary())) {
                return 1;
            }
            if (!stage(
                            "cleanse",
                            () -> CleanseCommand.cleanse(lake, cleanse, args).summary())
                    || !stage(
                            "rollup",
                            () -> RollupCommand.rollup(lake, rollup, args).summary())) {
                return 1;
            }
        } catch (WriterLock.LockedException e) {
            throw new JobFailedException("run: " + e.getMessage(), e);
        }
        return stage(
                        "load-warehouse",
                        () -> LoadWarehouseCommand.load(warehouse).summary())
                ? 0
                : 1;
    }

    /** Runs one stage and prints its summary; false (after saying which stage failed) when it failed. */
    private static boolean stage(String stage, Supplier<String> work) {
        try {
            System.out.print(work.get());
            return true;
        } catch (UsageException e) {
            throw e;
        } catch (Exception e) { // Spark's and Delta's AnalysisException is a checked exception thrown unchecked
            System.err.println("run: stage " + stage + " failed: " + e.getMessage());
            return false;
        }
    }
}
