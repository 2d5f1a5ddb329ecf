package dev.sensorhouse.cli;

import dev.sensorhouse.cleanse.CleanseResult;
import dev.sensorhouse.dimensions.DimensionsConfig;
import dev.sensorhouse.dimensions.DimensionsResult;
import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.rollup.RollupResult;
import dev.sensorhouse.warehouse.LoadResult;
import dev.sensorhouse.warehouse.WarehouseConfig;
import java.util.List;
import java.util.Optional;

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
        WarehouseConfig warehouse = LoadWarehouseCommand.config(o);
        if (dims.isEmpty()) {
            System.out.println("dimensions: no registry snapshots or CDC files (--metadata, --cdc); stage skipped");
        } else {
            DimensionsResult result;
            try {
                result = DimensionsCommand.dimensions(dims.get(), args);
            } catch (UsageException e) {
                throw e;
            } catch (Exception e) {
                return failed("dimensions", e);
            }
            System.out.print(result.summary());
        }
        CleanseResult cleansed;
        try {
            cleansed = CleanseCommand.cleanse(CommonOptions.cleanseConfig(o), args);
        } catch (UsageException e) {
            throw e;
        } catch (Exception e) {
            return failed("cleanse", e);
        }
        System.out.print(cleansed.summary());
        RollupResult rolled;
        try {
            rolled = RollupCommand.rollup(RollupConfig.incremental(CommonOptions.lakeRoot(o)), args);
        } catch (Exception e) {
            return failed("rollup", e);
        }
        System.out.print(rolled.summary());
        LoadResult loaded;
        try {
            loaded = LoadWarehouseCommand.load(warehouse);
        } catch (Exception e) {
            return failed("load-warehouse", e);
        }
        System.out.print(loaded.summary());
        return 0;
    }

    private static int failed(String stage, Exception e) {
        System.err.println("run: stage " + stage + " failed: " + e.getMessage());
        return 1;
    }
}
