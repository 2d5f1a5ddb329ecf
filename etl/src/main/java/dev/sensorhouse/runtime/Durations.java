package dev.sensorhouse.runtime;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations of command-line options, and measures a run's seconds. */
public final class Durations {
    private Durations() {}

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final String DURATION_FORMS =
            "a number with a unit ms, s, m, h or d (e.g. 5s, 43200ms, 43.2s, 15m, 2h, 1d) or ISO-8601 (e.g. PT5S, P1D)";

    /**
     * Parses a duration: a non-negative number with a unit ({@code 5s}, {@code 43200ms},
     * {@code 43.2s}, {@code 15m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT5S}). Fractions finer
     * than a nanosecond are rejected rather than rounded.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("cannot parse an empty duration; expected " + DURATION_FORMS);
        }
        String s = text.trim();
        Matcher m = SHORT_DURATION.matcher(s);
        if (m.matches()) {
            BigDecimal nanosPerUnit = BigDecimal.valueOf(
                    switch (m.group(2)) {
                        case "ms" -> 1_000_000L;
                        case "s" -> 1_000_000_000L;
                        case "m" -> 60_000_000_000L;
                        case "h" -> 3_600_000_000_000L;
                        default -> 86_400_000_000_000L;
                    });
            BigDecimal nanos = new BigDecimal(m.group(1)).multiply(nanosPerUnit);
            try {
                return Duration.ofNanos(nanos.longValueExact());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("cannot parse duration '" + text
                        + "': too large or finer than a nanosecond; expected " + DURATION_FORMS);
            }
        }
        if (s.length() > 1 && (s.charAt(0) == 'P' || s.charAt(0) == 'p')) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("cannot parse duration '" + text + "'; expected " + DURATION_FORMS);
    }

    /** Seconds from one instant to another, to the millisecond: what a run record and a summary show. */
    public static double seconds(java.time.Instant from, java.time.Instant to) {
        return (to.toEpochMilli() - from.toEpochMilli()) / 1000.0;
    }
}
