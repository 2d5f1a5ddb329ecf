package dev.sensorhouse.cli;

import dev.sensorhouse.simulate.InjectionReport;
import dev.sensorhouse.simulate.SimulateConfig;
import dev.sensorhouse.simulate.Simulator;
import java.util.List;

/** {@code sensorhouse simulate}: writes device events, with injected faults, into the raw zone. */
final class SimulateCommand implements Command {
    @Override
    public String name() {
        return "simulate";
    }

    @Override
    public String summary() {
        return "write simulated device events and the device registry (with injected faults) into the raw zone";
    }

    @Override
    public List<Option> options() {
        return List.of(
                CommonOptions.LAKE,
                Option.value("devices", "N", "200", "number of devices"),
                Option.value(
                        "start",
                        "ISO|now",
                        "2026-01-01T00:00:00Z",
                        "first event time; 'now': the current time to the second (for --to-kinesis)"),
                Option.value("duration", "DURATION", "1d", "event-time span (e.g. 6h, 1d)"),
                Option.value("interval", "DURATION", "5s", "time between two readings of a device (e.g. 5s, 43200ms)"),
                Option.value("profile", "agriculture|vehicle", "agriculture", "kind of devices"),
                Option.value(
                        "faults",
                        "none|default|heavy",
                        "default",
                        "fault injection rates (default about 3%, heavy about 20%)"),
                Option.value("seed", "N", "42", "random seed; the same seed writes the same bytes"),
                Option.flag("gzip", "gzip the raw files (.json.gz)"),
                Option.value("files-per-hour", "N", "1", "raw files per arrival hour"),
                Option.value(
                        "registry",
                        "true|false",
                        "true",
                        "also write the device registry: daily snapshots (raw/registry/) and DynamoDB-stream CDC files (raw/registry_cdc/)"),
                // ---- stream producer (simulate --to-kinesis) ----
                Option.value(
                        "to-kinesis",
                        "STREAM",
                        null,
                        "send the events to this Kinesis stream (PutRecords) instead of writing raw files; --lake is then a scratch folder"),
                Option.value("rate", "N", "1000", "with --to-kinesis: records per second"),
                Option.value("region", "NAME", "us-east-1", "with --to-kinesis: the stream's AWS region"),
                Option.value("endpoint", "URL", null, "with --to-kinesis: Kinesis endpoint (emulators)"),
                Option.value(
                        "shards",
                        "N",
                        null,
                        "with --to-kinesis: create the stream with N shards when it does not exist")
                // ---- end stream producer ----
                );
    }

    @Override
    public int run(Options o) throws Exception {
        if (o.optional("to-kinesis").isPresent()) {
            return StreamCommands.produce(config(o), o);
        }
        InjectionReport report = new Simulator(config(o)).run();
        System.out.print(report.summary());
        return 0;
    }

    static SimulateConfig config(Options o) {
        try {
            return new SimulateConfig(
                    CommonOptions.lakeRoot(o),
                    o.integer("devices"),
                    o.string("start").equals("now")
                            ? java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            : Options.parseInstant("simulate", "start", o.string("start")),
                    o.duration("duration"),
                    o.duration("interval"),
                    o.choice("profile", SimulateConfig.Profile.class),
                    o.choice("faults", SimulateConfig.FaultLevel.class),
                    o.longValue("seed"),
                    o.flag("gzip"),
                    o.integer("files-per-hour"),
                    o.flag("registry"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("simulate: " + e.getMessage(), e);
        }
    }
}
