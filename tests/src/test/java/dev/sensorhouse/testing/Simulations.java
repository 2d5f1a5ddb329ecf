package dev.sensorhouse.testing;

import dev.sensorhouse.simulate.InjectionReport;
import dev.sensorhouse.simulate.SimulateConfig;
import dev.sensorhouse.simulate.Simulator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code sensorhouse simulate} in this JVM and reads back the injection report it wrote. */
public final class Simulations {
    private Simulations() {}

    /**
     * Simulates into {@code lake} from {@code start} with {@code seed}; {@code options} are further
     * simulate options ({@code --devices 40 --duration 12h ...}). Returns the report with the outcome
     * a cleanse of these files must reach.
     */
    public static InjectionReport simulate(Path lake, String start, long seed, String... options) {
        List<String> args = new ArrayList<>(
                List.of("simulate", "--lake", lake.toString(), "--start", start, "--seed", Long.toString(seed)));
        args.addAll(List.of(options));
        Cli.succeed(args.toArray(String[]::new));
        return report(lake, start, seed);
    }

    /** The report a simulate run with this start and seed left in {@code lake}. */
    public static InjectionReport report(Path lake, String start, long seed) {
        SimulateConfig config = SimulateConfig.defaults(lake.toString())
                .withStart(Instant.parse(start))
                .withSeed(seed);
        return InjectionReport.read(lake.resolve(Simulator.reportPath(config)).toString());
    }
}
