package dev.sensorhouse.cli;

import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.rollup.RollupJob;
import dev.sensorhouse.rollup.RollupResult;
import dev.sensorhouse.runtime.SparkSessions;
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
        RollupResult result = rollup(CommonOptions.rollupConfig(o), Main.argsOf(o));
        System.out.print(result.summary());
        return 0;
    }

    static RollupResult rollup(RollupConfig config, String args) {
        Lake lake = Lake.at(SparkSessions.getOrCreate("sensorhouse-rollup"), config.lake());
        return new RollupJob(lake, config, args).run();
    }
}
