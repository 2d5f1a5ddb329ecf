package dev.sensorhouse.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a run covers, as its row in {@code control/job_runs} records it: the mode ({@code incremental}
 * or {@code window}), the window, the bookmark it leaves (the watermark) and its inputs (raw files,
 * registry files or the runs it covered).
 */
public record RunScope(
        String mode,
        Optional<Instant> windowStart,
        Optional<Instant> windowEnd,
        Optional<Instant> watermark,
        List<String> inputs) {
    public static final String INCREMENTAL = "incremental";
    public static final String WINDOW = "window";
}
