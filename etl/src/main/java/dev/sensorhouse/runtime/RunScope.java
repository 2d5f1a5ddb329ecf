package dev.sensorhouse.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run covers, as its row in {@code control/job_runs} records it: the mode ({@code incremental}
 * or {@code window}), the window, the bookmark it leaves (the watermark) and its inputs (raw files,
 * registry files or the runs it covered) with, for input files, the size each had when it was read.
 */
public record RunScope(
        String mode,
        Optional<Instant> windowStart,
        Optional<Instant> windowEnd,
        Optional<Instant> watermark,
        List<String> inputs,
        Map<String, Long> inputBytes) {
    public static final String INCREMENTAL = "incremental";
    public static final String WINDOW = "window";

    /** A scope whose inputs have no sizes (runs, or files whose size is not recorded). */
    public RunScope(
            String mode,
            Optional<Instant> windowStart,
            Optional<Instant> windowEnd,
            Optional<Instant> watermark,
            List<String> inputs) {
        this(mode, windowStart, windowEnd, watermark, inputs, Map.of());
    }
}
