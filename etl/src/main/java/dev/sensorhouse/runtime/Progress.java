package dev.sensorhouse.runtime;

import java.util.Locale;

/** Progress lines on stderr ({@code [job] message (+seconds)}), so stdout stays the job's summary. */
public final class Progress {
    private final String job;
    private final long start = System.nanoTime();
    private long last = start;

    public Progress(String job) {
        this.job = job;
    }

    public void step(String format, Object... args) {
        long now = System.nanoTime();
        System.err.printf(
                Locale.ROOT, "[%s] %s (%.1f s)%n", job, String.format(Locale.ROOT, format, args), (now - last) / 1e9);
        last = now;
    }
}
