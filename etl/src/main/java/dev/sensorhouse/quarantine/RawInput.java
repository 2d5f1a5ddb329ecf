package dev.sensorhouse.quarantine;

import dev.sensorhouse.zones.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * How a rejected input's bytes are kept in {@code quarantine/events.raw_line}: verbatim as text when
 * they are UTF-8 ({@code raw_encoding = text}), else as the base64 of the bytes ({@code base64}), so
 * the quarantine never replaces a byte it cannot decode and replay gets the exact input back. A
 * clipped input (an oversized record) is cut at a character boundary first.
 *
 * @param encoding {@link #TEXT} or {@link #BASE64}
 * @param utf8 the value of {@code raw_line}, as UTF-8 bytes
 */
public record RawInput(String encoding, byte[] utf8) {
    public static final String TEXT = "text";
    public static final String BASE64 = "base64";

    /** The kept form of the whole input {@code b[off, off+len)}: text when it is UTF-8, else base64. */
    public static RawInput of(byte[] b, int off, int len) {
        return Utf8.valid(b, off, len)
                ? new RawInput(TEXT, Arrays.copyOfRange(b, off, off + len))
                : base64(b, off, len);
    }

    /** The kept form of the first bytes of a longer input, cut at a character boundary when they are text. */
    public static RawInput clipped(byte[] b, int off, int len) {
        int cut = Utf8.boundary(b, off, len);
        return Utf8.valid(b, off, cut)
                ? new RawInput(TEXT, Arrays.copyOfRange(b, off, off + cut))
                : base64(b, off, len);
    }

    /** The base64 form of {@code b[off, off+len)}. */
    public static RawInput base64(byte[] b, int off, int len) {
        byte[] slice = off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len);
        return new RawInput(BASE64, Base64.getEncoder().encode(slice));
    }

    /** {@code raw_line} as a string. */
    public String text() {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
