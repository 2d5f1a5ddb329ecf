package dev.sensorhouse.cli;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.cleanse.CleanseCounts;
import dev.sensorhouse.cleanse.CleanseJob;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.zones.Lake;
import java.util.List;

/** {@code sensorhouse cleanse}: raw zone to cleansed readings and quarantine. */
final class CleanseCommand implements Command {
    @Override
    public String name() {
        return "cleanse";
    }

    @Override
    public String summary() {
        return "validate, deduplicate and convert raw events into cleansed/readings; quarantine the rest";
    }

    @Override
    public List<Option> options() {
        return CommonOptions.CLEANSE;
    }

    @Override
    public int run(Options o) {
        CommonOptions.existingLake(name(), o);
        CleanseConfig config = CommonOptions.cleanseConfig(o);
        System.out.print(
                cleanse(CommonOptions.lake(o, name()), config, Main.argsOf(o)).summary());
        return 0;
    }

    static JobResult<CleanseCounts> cleanse(Lake lake, CleanseConfig config, String args) {
        if (!lake.raw().exists()) {
            throw new UsageException("cleanse: lake " + config.lake() + " has no raw zone at "
                    + lake.raw().eventsDir() + "; expected raw/sensor_events/year=YYYY/month=MM/day=DD/hour=HH/");
        }
        return new CleanseJob(lake, config, args).run();
    }
}
