package dev.sensorhouse.cli;

import dev.sensorhouse.maintain.MaintainConfig;
import dev.sensorhouse.maintain.MaintainJob;
import java.util.List;

/** {@code sensorhouse maintain}: compaction, vacuum, raw and quarantine retention of the lake's tables. */
final class MaintainCommand implements Command {
    static final Option VACUUM_RETENTION = Option.value(
            "vacuum-retention",
            "DURATION",
            "7d",
            "VACUUM keeps files a version of the last DURATION references; at least "
                    + MaintainConfig.LONGEST_READER.toHours() + "h, the longest a reader may need them");
    static final Option RAW_RETENTION = Option.value(
            "raw-retention",
            "DURATION",
            null,
            "delete raw files a successful cleanse covered whose arrival hour is DURATION before the newest cleansed one (default: keep)");
    static final Option QUARANTINE_RETENTION = Option.value(
            "quarantine-retention",
            "DURATION",
            null,
            "delete quarantine rows whose arrival date is DURATION before the newest cleansed arrival hour (default: keep)");

    @Override
    public String name() {
        return "maintain";
    }

    @Override
    public String summary() {
        return "compact the tables' partitions changed since the last maintenance, vacuum, apply the raw and quarantine retention";
    }

    @Override
    public List<Option> options() {
        return List.of(
                CommonOptions.LAKE, VACUUM_RETENTION, RAW_RETENTION, QUARANTINE_RETENTION, CommonOptions.LOCK_WAIT);
    }

    @Override
    public int run(Options o) {
        CommonOptions.existingLake(name(), o);
        MaintainConfig config;
        try {
            config = new MaintainConfig(
                    CommonOptions.lakeRoot(o),
                    o.duration(VACUUM_RETENTION.name()),
                    o.optional(RAW_RETENTION.name()).map(v -> o.duration(RAW_RETENTION.name())),
                    o.optional(QUARANTINE_RETENTION.name()).map(v -> o.duration(QUARANTINE_RETENTION.name())));
        } catch (IllegalArgumentException e) {
            throw new UsageException("maintain: " + e.getMessage(), e);
        }
        System.out.print(new MaintainJob(CommonOptions.lake(o, name()), config, Main.argsOf(o))
                .run()
                .summary());
        return 0;
    }
}
