package dev.sensorhouse.runtime;

/** A job started and could not finish; the command line exits 1. Tables are left as before the run. */
public class JobFailedException extends RuntimeException {
    public JobFailedException(String message) {
        super(message);
    }

    public JobFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A one-line description of a failure for the audit row and the console: its type and message, and
     * the root cause when Spark wrapped it (a task failure's real reason is at the bottom of the chain).
     */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String head = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e ? head : head.lines().findFirst().orElse(head) + " (caused by " + root + ")";
    }
}
