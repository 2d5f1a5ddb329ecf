package dev.sensorhouse.cli;

import dev.sensorhouse.runtime.JobFailedException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code sensorhouse} command line, the one entry point of the job jar for spark-submit, AWS Glue
 * ({@code --class dev.sensorhouse.cli.Main}, the command as the first argument or as
 * {@code --command NAME}) and Airflow tasks. Exit codes: 0 success, 1 job failure, 2 usage error.
 */
public final class Main {
    /** The product's commands, in the order {@code --help} lists them. */
    public static final List<Command> COMMANDS = List.of(
            new SimulateCommand(),
            new CleanseCommand(),
            new DimensionsCommand(),
            new RollupCommand(),
            new LoadWarehouseCommand(),
            new MaintainCommand(),
            new RunCommand(),
            new StatusCommand(),
            new DemoCommand(),
            // ---- glue-jobs: the lake's tables in the metastore (Athena, Redshift Spectrum)
            new RegisterCatalogCommand(),
            // ---- stream ----
            new IngestStreamCommand(),
            new LiveCommand(),
            new AlertsCommand(),
            new ReconcileCommand()
            // ---- end stream ----
            );

    private static final String ABOUT =
            "Sensorhouse: IoT sensor data from a raw JSON zone to cleansed and aggregated Delta tables.";

    private Main() {}

    public static void main(String[] args) {
        if (GlueRun.isGlue(args)) {
            GlueRun.showProgress();
        }
        int code = run(args);
        // ---- AWS Glue: a Glue job run ends by returning or throwing, never by System.exit (GlueRun).
        if (GlueRun.isGlue(args)) {
            System.out.flush();
            System.err.flush();
            GlueRun.finish(args, code);
            return;
        }
        // ---- end AWS Glue
        exit(code);
    }

    /** Flushes the output and exits the JVM with {@code code}. */
    public static void exit(int code) {
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs a command line and returns its exit code (tests call this without exiting the JVM). */
    public static int run(String[] args) {
        return run(COMMANDS, ABOUT, args);
    }

    /** Runs a command line against a set of commands: the product's, or the benchmarks'. */
    public static int run(List<Command> commands, String about, String[] args) {
        Map<String, Command> byName = new LinkedHashMap<>();
        commands.forEach(c -> byName.put(c.name(), c));
        String[] rest = args;
        String name = null;
        if (rest.length > 0 && !rest[0].startsWith("--")) {
            name = rest[0];
            rest = Arrays.copyOfRange(rest, 1, rest.length);
        } else {
            for (int i = 0; i + 1 < rest.length; i++) {
                if (rest[i].equals("--command")) {
                    name = rest[i + 1];
                    String[] without = new String[rest.length - 2];
                    System.arraycopy(rest, 0, without, 0, i);
                    System.arraycopy(rest, i + 2, without, i, rest.length - i - 2);
                    rest = without;
                    break;
                }
            }
        }
        if (name == null || name.equals("help") || name.equals("--help") || name.equals("-h")) {
            boolean asked = name != null || Arrays.asList(args).contains("--help");
            (asked ? System.out : System.err).print(help(commands, about));
            return asked ? 0 : 2;
        }
        Command command = byName.get(name);
        if (command == null) {
            System.err.println(
                    "sensorhouse: unknown command '" + name + "'; commands: " + String.join(", ", byName.keySet()));
            return 2;
        }
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            System.out.print(help(command));
            return 0;
        }
        try {
            return command.run(Options.parse(name, command.options(), rest));
        } catch (UsageException e) {
            System.err.println("sensorhouse " + e.getMessage());
            return 2;
        } catch (JobFailedException e) {
            System.err.println("sensorhouse " + name + ": FAILED: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("sensorhouse " + name + ": FAILED: " + e);
            e.printStackTrace(System.err);
            return 1;
        }
    }

    /** The options as given (for the audit row), with nothing secret in them. */
    static String argsOf(Options o) {
        return o.toString();
    }

    static String help(List<Command> commands, String about) {
        StringBuilder s = new StringBuilder();
        s.append("usage: sensorhouse <command> [--option value]...\n\n");
        s.append(about).append("\n\n");
        s.append("commands:\n");
        commands.forEach(c -> s.append(String.format(Locale.ROOT, "  %-16s %s%n", c.name(), c.summary())));
        s.append("\n'sensorhouse <command> --help' lists a command's options with their defaults.\n");
        s.append("Exit codes: 0 success, 1 job failure, 2 usage error.\n");
        return s.toString();
    }

    static String help(Command c) {
        StringBuilder s = new StringBuilder();
        s.append("usage: sensorhouse ")
                .append(c.name())
                .append(" [options]\n\n")
                .append(c.summary())
                .append("\n\noptions:\n");
        for (Option o : c.options()) {
            String left = "--" + o.name() + (o.flag() ? "" : " " + o.valueName());
            String dflt = o.defaultValue() == null ? "" : o.flag() ? " (flag)" : " (default: " + o.defaultValue() + ")";
            s.append(String.format(Locale.ROOT, "  %-34s %s%s%n", left, o.description(), dflt));
        }
        s.append(String.format(Locale.ROOT, "  %-34s %s%n", "--help", "print this help"));
        s.append(
                "\nOptions may also be written --name=value; AWS Glue's own job arguments (--JOB_NAME, --TempDir, ...) are ignored.\n");
        return s.toString();
    }
}
