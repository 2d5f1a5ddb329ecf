package dev.sensorhouse.runtime;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's progress lines, logged at INFO to the logger {@code sensorhouse.<job>}; the log
 * configuration ({@code sensorhouse-log4j2.properties}) prints them to stderr as
 * {@code [job] message (seconds since the previous step)}, so stdout stays the command's summary.
 */
public final class Progress {
    private final Logger log;
    private long last = System.nanoTime();

    public Progress(String job) {
        this.log = LoggerFactory.getLogger("sensorhouse." + job);
    }

    /** A step done: the message and the seconds it took since the previous step. */
    public void step(String format, Object... args) {
        long now = System.nanoTime();
        if (log.isInfoEnabled()) {
            log.info(String.format(
                    Locale.ROOT, "%s (%.1f s)", String.format(Locale.ROOT, format, args), (now - last) / 1e9));
        }
        last = now;
    }

    /** A line without timing (a wait, a warning about the run). */
    public void note(String message) {
        log.info(message);
    }
}
