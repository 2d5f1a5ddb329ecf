package dev.sensorhouse.cli;

import dev.sensorhouse.dimensions.DimensionsConfig;
import dev.sensorhouse.dimensions.DimensionsCounts;
import dev.sensorhouse.dimensions.DimensionsJob;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.zones.Lake;
import java.util.List;

/** {@code sensorhouse dimensions}: registry snapshots and CDC to the SCD2 device and location dimensions. */
final class DimensionsCommand implements Command {
    @Override
    public String name() {
        return "dimensions";
    }

    @Override
    public String summary() {
        return "keep dims/device and dims/location (SCD type 2) from registry snapshots or DynamoDB-stream CDC; re-key the facts they change";
    }

    @Override
    public List<Option> options() {
        return CommonOptions.DIMENSIONS;
    }

    @Override
    public int run(Options o) {
        CommonOptions.existingLake(name(), o);
        DimensionsConfig config = CommonOptions.dimensionsConfig(o, false).orElseThrow();
        System.out.print(dimensions(CommonOptions.lake(o, name()), config, Main.argsOf(o))
                .summary());
        return 0;
    }

    static JobResult<DimensionsCounts> dimensions(Lake lake, DimensionsConfig config, String args) {
        try {
            return new DimensionsJob(lake, config, args).run();
        } catch (IllegalArgumentException e) {
            throw new UsageException("dimensions: " + e.getMessage(), e);
        }
    }
}
