package dev.sensorhouse.zones;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 checks on raw bytes (RFC 3629): no overlong forms, no UTF-16 surrogates, nothing past
 * U+10FFFF. Raw inputs are kept as bytes until they are known to be UTF-8, so no lossy replacement
 * (U+FFFD) can ever merge two distinct inputs. ASCII, the common case, is checked eight bytes at a time.
 */
public final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {}

    /** The offset (relative to {@code off}) of the first byte that starts no valid UTF-8 sequence; -1 when all are valid. */
    public static int firstInvalid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (i + 8 <= end && (((long) LONGS.get(b, i)) & HIGH_BITS) == 0) {
                i += 8;
                continue;
            }
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n = sequenceLength(b, i, end);
            if (n < 0) {
                return i - off;
            }
            i += n;
        }
        return -1;
    }

    /** Whether {@code b[off, off+len)} is valid UTF-8. */
    public static boolean valid(byte[] b, int off, int len) {
        return firstInvalid(b, off, len) < 0;
    }

    /**
     * The longest prefix of {@code b[off, off+len)} that does not end inside a multi-byte sequence:
     * {@code len}, or up to 3 less. Used to cut a clipped input at a character boundary.
     */
    public static int boundary(byte[] b, int off, int len) {
        int back = 0;
        while (back < 3 && back < len && (b[off + len - 1 - back] & 0xC0) == 0x80) {
            back++;
        }
        if (back < len) {
            int lead = b[off + len - 1 - back] & 0xFF;
            int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (need > back + 1) {
                return len - back - 1;
            }
        }
        return len;
    }

    /** The length of the valid sequence starting at {@code b[i]} (a non-ASCII lead byte), or -1. */
    private static int sequenceLength(byte[] b, int i, int end) {
        int c = b[i] & 0xFF;
        if (c >= 0xC2 && c <= 0xDF) {
            return i + 1 < end && continuation(b[i + 1]) ? 2 : -1;
        }
        if (c >= 0xE0 && c <= 0xEF) {
            if (i + 2 >= end || !continuation(b[i + 1]) || !continuation(b[i + 2])) {
                return -1;
            }
            int c1 = b[i + 1] & 0xFF;
            if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) {
                return -1; // overlong, or a UTF-16 surrogate
            }
            return 3;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            if (i + 3 >= end || !continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                return -1;
            }
            int c1 = b[i + 1] & 0xFF;
            if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) {
                return -1; // overlong, or past U+10FFFF
            }
            return 4;
        }
        return -1; // 0x80-0xC1 (continuation or overlong lead), 0xF5-0xFF
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
