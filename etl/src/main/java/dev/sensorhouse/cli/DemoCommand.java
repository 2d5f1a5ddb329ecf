package dev.sensorhouse.cli;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.simulate.InjectionReport;
import dev.sensorhouse.simulate.SimulateConfig;
import dev.sensorhouse.simulate.Simulator;
import dev.sensorhouse.warehouse.LoadResult;
import dev.sensorhouse.warehouse.WarehouseConfig;
import dev.sensorhouse.zones.Lake;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

/**
 * {@code sensorhouse demo}: simulates one day of 200 agriculture devices with the default faults into
 * a fresh demo lake and runs the batch stages on it (dimensions from the registry CDC, cleanse, rollup,
 * and the load into the embedded DuckDB warehouse), printing each stage's summary and the results of
 * the two example queries of {@code schemas/contracts/warehouse/queries/}. A lake is only
 * replaced when an earlier demo made it ({@link ScratchLake}).
 */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "simulate one day of 200 devices into ./lake, run the batch stages on it, load the embedded warehouse and query it";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("lake", "DIR", "./lake", "demo lake folder (replaced if an earlier demo made it)"),
                Option.value("devices", "N", "200", "number of devices"),
                Option.value("interval", "DURATION", "60s", "time between two readings of a device"),
                Option.value("seed", "N", "42", "random seed"),
                // ---- stream demo ----
                Option.flag(
                        "stream",
                        "instead: stream a few minutes of simulated vehicles through local Kinesis and Redis emulation (ingest-stream)")
                // ---- end stream demo ----
                );
    }

    @Override
    public int run(Options o) throws Exception {
        Path lake = CommonOptions.scratchLake(name(), o);
        ScratchLake.fresh(lake, name());
        if (o.flag("stream")) {
            return StreamDemo.run(lake, o.longValue("seed"));
        }
        Lake tables = Lake.at(SparkSessions.getOrCreate("sensorhouse-demo"), lake.toString());
        SimulateConfig sim = new SimulateConfig(
                lake.toString(),
                o.integer("devices"),
                SimulateConfig.DEFAULT_START,
                Duration.ofDays(1),
                o.duration("interval"),
                SimulateConfig.Profile.AGRICULTURE,
                SimulateConfig.FaultLevel.DEFAULT,
                o.longValue("seed"),
                false,
                1,
                true);
        System.out.println("== simulate: " + sim.devices() + " devices, one day from " + sim.start()
                + ", default faults -> " + lake);
        Stages stages = new Stages();
        InjectionReport report = stages.time("simulate", () -> new Simulator(sim).run());
        System.out.print(report.summary());
        System.out.println();
        System.out.println("== dimensions (registry CDC from " + CommonOptions.REGISTRY_CDC + ")");
        JobResult<?> dims = stages.time(
                "dimensions",
                () -> DimensionsCommand.dimensions(
                        tables,
                        new dev.sensorhouse.dimensions.DimensionsConfig(
                                lake.toString(),
                                java.util.Optional.empty(),
                                java.util.Optional.of(
                                        lake.resolve(CommonOptions.REGISTRY_CDC).toString()),
                                dev.sensorhouse.dimensions.NullRule.KEEP),
                        "demo"));
        System.out.print(dims.summary());
        System.out.println("== cleanse (incremental)");
        JobResult<?> result = stages.time(
                "cleanse", () -> CleanseCommand.cleanse(tables, CleanseConfig.incremental(lake.toString()), "demo"));
        System.out.print(result.summary());
        System.out.println();
        System.out.println("== rollup (incremental)");
        JobResult<?> rolled = stages.time(
                "rollup", () -> RollupCommand.rollup(tables, RollupConfig.incremental(lake.toString()), "demo"));
        System.out.print(rolled.summary());
        System.out.println();
        WarehouseConfig config = LoadWarehouseCommand.config(Options.parse(
                "load-warehouse", CommonOptions.LOAD_WAREHOUSE, new String[] {"--lake", lake.toString()}));
        System.out.println("== load-warehouse (" + config.target() + ")");
        LoadResult loaded = stages.time("load-warehouse", () -> LoadWarehouseCommand.load(config));
        System.out.print(loaded.summary());
        stages.time("queries", () -> {
            printQueries(config);
            return null;
        });
        System.out.println();
        System.out.println(stages.summary());
        System.out.println("Next: ./sensorhouse status --lake " + lake);
        return 0;
    }

    /** Runs the two example queries against the warehouse and prints them with their results. */
    private static void printQueries(WarehouseConfig config) throws Exception {
        try (Connection c = config.target().connect()) {
            String device = QueryTable.firstValue(
                    c, "SELECT MIN(device_id) FROM fact_reading_hourly WHERE metric = 'temperature'");
            for (String name : List.of("daily_temperature_per_field", "live_hourly_device")) {
                String sql = QueryTable.query(name);
                System.out.println();
                System.out.println(sql.strip());
                System.out.print(QueryTable.run(c, sql, sql.contains("?") ? new String[] {device} : new String[0]));
            }
        }
    }

    /** The seconds each stage of the demo took, and the JVM's CPU seconds over them all. */
    private static final class Stages {
        private final java.util.Map<String, Double> seconds = new java.util.LinkedHashMap<>();
        private final long cpuStart = cpuNanos();

        <T> T time(String stage, java.util.concurrent.Callable<T> work) throws Exception {
            long start = System.nanoTime();
            try {
                return work.call();
            } finally {
                seconds.put(stage, (System.nanoTime() - start) / 1e9);
            }
        }

        /** {@code demo: jobs took 41.2 s (simulate 2.1 s, ...); 63.0 CPU s}. */
        String summary() {
            double total =
                    seconds.values().stream().mapToDouble(Double::doubleValue).sum();
            String each = seconds.entrySet().stream()
                    .map(e -> String.format(java.util.Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", "));
            return String.format(
                    java.util.Locale.ROOT,
                    "demo: jobs took %.1f s (%s); %.1f CPU s",
                    total,
                    each,
                    (cpuNanos() - cpuStart) / 1e9);
        }

        private static long cpuNanos() {
            return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            instanceof com.sun.management.OperatingSystemMXBean os
                    ? Math.max(0, os.getProcessCpuTime())
                    : 0;
        }
    }
}
