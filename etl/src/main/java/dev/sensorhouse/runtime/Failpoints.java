package dev.sensorhouse.runtime;

/**
 * Named points in a job where a crash test can stop the process. When the system property (or
 * environment variable {@code SENSORHOUSE_FAILPOINT}) {@code sensorhouse.failpoint} names a point,
 * reaching it prints {@code FAILPOINT <name>} to stderr and blocks, so the test can SIGKILL the
 * process at exactly that step. Armed as {@code <name>:throw}, reaching it throws instead, for tests of
 * a failure's clean-up within one process. Unset, a failpoint costs one lookup.
 */
public final class Failpoints {
    private Failpoints() {}

    public static void reach(String name) {
        String armed = System.getProperty("sensorhouse.failpoint", System.getenv("SENSORHOUSE_FAILPOINT"));
        if ((name + ":throw").equals(armed)) {
            throw new IllegalStateException("failpoint " + name + " reached");
        }
        if (name.equals(armed)) {
            System.err.println("FAILPOINT " + name);
            System.err.flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
