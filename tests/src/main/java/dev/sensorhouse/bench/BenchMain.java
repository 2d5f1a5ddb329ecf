package dev.sensorhouse.bench;

import dev.sensorhouse.cli.Command;
import dev.sensorhouse.cli.Main;
import java.util.List;

/**
 * The benchmarks' command line ({@code ./sensorhouse bench...}): the same option parsing, help and
 * exit codes as the product's {@link Main}, with the benchmark commands, which the product jar does
 * not carry. They print figures; they assert nothing (tests do that).
 */
public final class BenchMain {
    /** The benchmark commands, in the order {@code --help} lists them. */
    public static final List<Command> COMMANDS = List.of(
            new BenchCommand(),
            new DimensionsBenchCommand(),
            new WarehouseBenchCommand(),
            new MaintenanceBenchCommand(),
            new StreamBenchCommand());

    private BenchMain() {}

    public static void main(String[] args) {
        Main.exit(Main.run(COMMANDS, "sensorhouse benchmarks", args));
    }
}
