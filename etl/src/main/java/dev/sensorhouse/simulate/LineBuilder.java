package dev.sensorhouse.simulate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable ASCII byte buffer with the few appenders the event writer needs: fixed strings, longs,
 * decimals, hex and ISO-8601 timestamps. Hand-written because generic formatting ({@code
 * String.format}, {@code Double.toString}, {@code DateTimeFormatter}) would dominate the cost of
 * simulating millions of events. Callers only append ASCII that needs no JSON escaping.
 */
final class LineBuilder {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};

    byte[] bytes;
    int length;

    LineBuilder(int capacity) {
        bytes = new byte[capacity];
    }

    void clear() {
        length = 0;
    }

    void truncate(int newLength) {
        length = newLength;
    }

    private void ensure(int extra) {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
        }
    }

    LineBuilder append(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    LineBuilder append(byte[] b, int from, int count) {
        ensure(count);
        System.arraycopy(b, from, bytes, length, count);
        length += count;
        return this;
    }

    LineBuilder append(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends an ASCII string as is. */
    LineBuilder append(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    LineBuilder append(long v) {
        if (v == Long.MIN_VALUE) {
            return append(Long.toString(v));
        }
        ensure(20);
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long p = 10; digits < 19 && p <= v; p *= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        length += digits;
        return this;
    }

    /** Appends {@code v} zero-padded to {@code width} digits (v must be non-negative). */
    LineBuilder appendPadded(long v, int width) {
        ensure(Math.max(width, 20));
        int digits = 1;
        for (long p = 10; digits < 19 && p <= v; p *= 10) {
            digits++;
        }
        for (int i = digits; i < width; i++) {
            bytes[length++] = '0';
        }
        return append(v);
    }

    /**
     * Appends {@code v} rounded to at most {@code decimals} places, trailing zeros dropped but one
     * decimal kept ({@code 21.5}, {@code 1200.0}, {@code 3.91}), like a device's JSON library would.
     */
    LineBuilder appendDecimal(double v, int decimals) {
        long scale = POW10[decimals];
        long scaled = Math.round(Math.abs(v) * scale);
        if (v < 0 && scaled != 0) {
            append('-');
        }
        append(scaled / scale);
        append('.');
        long frac = scaled % scale;
        int places = decimals;
        while (places > 1 && frac % 10 == 0) {
            frac /= 10;
            places--;
        }
        return appendPadded(frac, places);
    }

    /** Appends the 36-character UUID form of two longs. */
    LineBuilder appendUuid(long hi, long lo) {
        ensure(36);
        hex(hi >>> 32, 8);
        append('-');
        hex((hi >>> 16) & 0xFFFF, 4);
        append('-');
        hex(hi & 0xFFFF, 4);
        append('-');
        hex(lo >>> 48, 4);
        append('-');
        hex(lo & 0xFFFF_FFFF_FFFFL, 12);
        return this;
    }

    private void hex(long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            bytes[length++] = HEX[(int) ((v >>> (i * 4)) & 0xF)];
        }
    }

    /**
     * Appends {@code epochMillis} as ISO-8601 local date-time at {@code offsetMinutes} from UTC,
     * {@code yyyy-MM-ddTHH:mm:ss} plus {@code .SSS} when the millisecond part is not zero. The zone
     * designator is appended by the caller.
     */
    LineBuilder appendLocalDateTime(long epochMillis, int offsetMinutes) {
        long local = epochMillis + offsetMinutes * 60_000L;
        long days = Math.floorDiv(local, 86_400_000L);
        long msOfDay = Math.floorMod(local, 86_400_000L);
        // Civil date from days since 1970-01-01 (H. Hinnant, "chrono-compatible low-level date algorithms").
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        appendPadded(year, 4)
                .append('-')
                .appendPadded(month, 2)
                .append('-')
                .appendPadded(day, 2)
                .append('T');
        long seconds = msOfDay / 1000;
        appendPadded(seconds / 3600, 2)
                .append(':')
                .appendPadded(seconds / 60 % 60, 2)
                .append(':')
                .appendPadded(seconds % 60, 2);
        long millis = msOfDay % 1000;
        if (millis != 0) {
            append('.').appendPadded(millis, 3);
        }
        return this;
    }

    /** Appends a zone offset such as {@code +02:00} or {@code -05:30}; {@code Z} for zero. */
    LineBuilder appendOffset(int offsetMinutes) {
        if (offsetMinutes == 0) {
            return append('Z');
        }
        append(offsetMinutes < 0 ? '-' : '+');
        int abs = Math.abs(offsetMinutes);
        return appendPadded(abs / 60, 2).append(':').appendPadded(abs % 60, 2);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }
}
