package dev.sensorhouse.cli;

import java.util.Arrays;
import org.apache.spark.sql.SparkSession;

/**
 * How {@link Main} ends inside an AWS Glue job run. Glue starts the job's {@code --class} in its own
 * driver and reports the run's status from how {@code main} ends: returning is SUCCEEDED, an exception
 * is FAILED with its message. A {@code System.exit} from the driver ends it before Spark reports the
 * application's end (Spark on a cluster manager records such an early exit as a failure), so on Glue
 * {@code main} stops the SparkSession and returns on success and throws on failure instead.
 *
 * <p>A run is a Glue run when its arguments carry {@code --JOB_RUN_ID}, which Glue adds to every run's
 * arguments.
 */
final class GlueRun {
    private GlueRun() {}

    /** The exception that fails a Glue job run; its message is the run's error message in Glue. */
    static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }

    /**
     * Glue's driver logs through its own log4j2 configuration, not {@code sensorhouse-log4j2.properties}:
     * the jobs' progress loggers ({@code sensorhouse.*}) are set to INFO there so that their lines reach
     * the job's driver log whatever the root level.
     */
    static void showProgress() {
        org.apache.logging.log4j.core.config.Configurator.setLevel("sensorhouse", org.apache.logging.log4j.Level.INFO);
    }

    static boolean isGlue(String[] args) {
        return Arrays.asList(args).contains("--JOB_RUN_ID");
    }

    /** Ends a Glue run with the command's exit code: returns for 0, throws {@link Failed} otherwise. */
    static void finish(String[] args, int code) {
        if (SparkSession.getDefaultSession().isDefined()) {
            SparkSession.getDefaultSession().get().stop();
        }
        if (code != 0) {
            throw new Failed("sensorhouse " + String.join(" ", commandOf(args)) + " exited " + code
                    + (code == 2 ? " (usage error)" : " (job failure)") + "; the job's error log says why");
        }
    }

    /** The command name of a Glue run's arguments, for the failure message. */
    private static String[] commandOf(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--command")) {
                return new String[] {args[i + 1]};
            }
        }
        return args.length > 0 && !args[0].startsWith("--") ? new String[] {args[0]} : new String[0];
    }
}
