package dev.sensorhouse.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an event's {@code ts}, in epoch microseconds. The accepted forms:
 *
 * <ul>
 *   <li>ISO-8601 / RFC 3339 with {@code Z} or an offset: {@code 2026-01-01T00:00:05Z},
 *       {@code 2026-01-01T02:00:05.250+02:00}. A space instead of the {@code T} is accepted (RFC 3339
 *       allows it, and it means the same instant). A time without a zone is rejected: a local time is
 *       ambiguous, and taking it as UTC would shift a device's readings by its offset without a word.
 *   <li>An integer: epoch milliseconds, or epoch seconds when it is below 100,000,000,000 (as
 *       milliseconds that would be before 1973-03-03, as seconds it reaches the year 5138; no real
 *       reading is from 1970-1973, while devices that send seconds are common).
 * </ul>
 *
 * <p>The common {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm)} form is parsed by hand; anything else
 * goes through {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}.
 */
final class EventTimes {
    /** Integers below this are epoch seconds, from it on epoch milliseconds. */
    static final long SECONDS_BELOW = 100_000_000_000L;

    private static final long MAX_MILLIS = 253_402_300_799_999L; // 9999-12-31T23:59:59.999Z

    private EventTimes() {}

    /** An integer {@code ts}; {@code fitsLong} false when it does not fit 64 bits. */
    static long epochMicros(long value, boolean fitsLong, String text) {
        if (!fitsLong || value < 0) {
            throw new DateTimeException("epoch time " + text + " is outside 1970..9999");
        }
        if (value < SECONDS_BELOW) {
            return value * 1_000_000L;
        }
        if (value > MAX_MILLIS) {
            throw new DateTimeException("epoch milliseconds " + text + " is after 9999-12-31"
                    + (value >= 100_000_000_000_000L ? " (epoch microseconds or nanoseconds?)" : "")
                    + "; ts must be epoch seconds, epoch milliseconds or ISO-8601");
        }
        return value * 1000;
    }

    /** A string {@code ts}. */
    static long isoMicros(String s) {
        long fast = fastIso(s);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        String text = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        try {
            Instant instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
        } catch (DateTimeParseException e) {
            if (local(text)) {
                throw new DateTimeException("ts \"" + RawEventValidator.clip(s)
                        + "\" has no zone offset; a local time is ambiguous: add Z or an offset such as +02:00");
            }
            throw new DateTimeException(
                    "ts \"" + RawEventValidator.clip(s)
                            + "\" is not ISO-8601 with an offset (e.g. 2026-01-01T00:00:05Z) nor epoch seconds or milliseconds");
        }
    }

    private static boolean local(String text) {
        try {
            LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Hand parser for the common form; Long.MIN_VALUE when the text is not in it (the slow path decides). */
    private static long fastIso(String s) {
        int n = s.length();
        if (n < 20
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 28
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return Long.MIN_VALUE; // day 29-31 and anything odd: let java.time decide
        }
        int i = 19;
        long micros = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 9) {
                return Long.MIN_VALUE;
            }
            long frac = digits(s, start, Math.min(len, 6));
            for (int k = Math.min(len, 6); k < 6; k++) {
                frac *= 10;
            }
            micros = frac;
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                return Long.MIN_VALUE;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return Long.MIN_VALUE;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        long seconds = days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1_000_000L + micros;
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** An instant in epoch microseconds as ISO-8601 text. */
    static String iso(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000)
                .toString();
    }
}
