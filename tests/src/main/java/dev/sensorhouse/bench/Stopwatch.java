package dev.sensorhouse.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;

/**
 * Wall time and the process's CPU time (every thread of the JVM, DuckDB's native threads included)
 * of one piece of work. CPU seconds next to wall seconds tell a busy machine from a slow stage: on
 * an idle machine with 2 cores a stage that keeps both busy shows about twice its wall time.
 */
final class Stopwatch {
    private Stopwatch() {}

    /** What a piece of work returned and what it cost. */
    record Timed<T>(T value, double seconds, double cpuSeconds) {}

    static <T> Timed<T> time(Callable<T> work) throws Exception {
        long cpu = cpuNanos();
        long wall = System.nanoTime();
        T value = work.call();
        return new Timed<>(value, (System.nanoTime() - wall) / 1e9, (cpuNanos() - cpu) / 1e9);
    }

    /** The CPU time of every thread of this process so far, or 0 where the JVM cannot tell. */
    static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}
