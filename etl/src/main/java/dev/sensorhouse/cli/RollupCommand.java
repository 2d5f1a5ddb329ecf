package dev.sensorhouse.cli;

import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.rollup.RollupCounts;
import dev.sensorhouse.rollup.RollupJob;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.zones.Lake;
import java.util.List;

/** {@code sensorhouse rollup}: cleansed readings to the hourly and daily aggregates. */
final class RollupCommand implements Command {
    @Override
    public String name() {
        return "rollup";
    }

    @Override
    public String summary() {
        return "aggregate cleansed readings by device, metric and hour, then day; only the buckets new data touched";
    }

    @Override
    public List<Option> options() {
        return CommonOptions.ROLLUP;
    }

    @Override
    public int run(Options o) {
        CommonOptions.existingLake(name(), o);
        RollupConfig config = CommonOptions.rollupConfig(o);
        System.out.print(
                rollup(CommonOptions.lake(o, name()), config, Main.argsOf(o)).summary());
        return 0;
    }

    static JobResult<RollupCounts> rollup(Lake lake, RollupConfig config, String args) {
        return new RollupJob(lake, config, args).run();
    }
}
