package dev.sensorhouse.zones;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The byte-level scanner behind {@link RawRecords}: one pass over the decompressed bytes that finds
 * line ends and, with {@link RawRecords.Framing#JSON_OBJECTS}, the top-level objects of a line (it
 * follows strings, escapes and nesting depth, nothing else of JSON). Records are slices of its buffer;
 * the buffer keeps the current record's bytes, up to keepBytes of them.
 */
final class RecordScanner {
    private static final int START = 0, OBJECT = 1, AFTER = 2, REST = 3;
    private static final boolean[] IN_STRING_STOP = stops("\"\\\n\r");
    private static final boolean[] OBJECT_STOP = stops("\"{}[]\n\r");
    private static final int INITIAL_BUFFER = 256 << 10;

    private final InputStream in;
    private final RawRecords.Framing framing;
    private final int keepBytes;

    private byte[] buf = new byte[INITIAL_BUFFER];
    private int limit; // end of the bytes read into buf
    private int pos; // next byte to scan
    private int start; // start of the current record in buf (when not overflowing)
    private long base; // absolute offset of buf[0] in the decompressed content
    private boolean eof;
    private boolean atFileStart = true;
    private boolean skipLf;

    private long line = 1;
    private int recordInLine = 1;
    private int mode = START;
    private int depth;
    private boolean inString;
    private boolean escape;
    private long recordStartAbs;
    private byte[] kept; // the first keepBytes bytes of an overflowing record

    // the record delivered by the last next()
    private byte[] outBuf;
    private int outOff;
    private int outLen;
    private long outSize;
    private long outLine;
    private int outRecord;
    private boolean outBlank;

    RecordScanner(InputStream in, RawRecords.Framing framing, int keepBytes) {
        if (keepBytes < 1) {
            throw new IllegalArgumentException("keepBytes must be positive, got " + keepBytes);
        }
        this.in = in;
        this.framing = framing;
        this.keepBytes = keepBytes;
    }

    /** Scans to the next record: true when there is one, false at the end; a read failure is thrown. */
    boolean advance() throws IOException {
        while (true) {
            while (pos < limit) {
                if (scan()) {
                    return true;
                }
            }
            if (eof) {
                return pending() && lineEnd(limit, false);
            }
            fill();
        }
    }

    /** The bytes read of the record in progress (its first keepBytes when it is longer). */
    byte[] partial() {
        return overflowing() ? kept : Arrays.copyOfRange(buf, start, limit);
    }

    /** The size of the record in progress so far. */
    long partialSize() {
        return absolute(limit) - recordStartAbs;
    }

    /** The line being read. */
    long currentLine() {
        return line;
    }

    /** The position in its line of the record being read. */
    int currentRecord() {
        return recordInLine;
    }

    byte[] buffer() {
        return outBuf;
    }

    int offset() {
        return outOff;
    }

    int length() {
        return outLen;
    }

    long size() {
        return outSize;
    }

    long line() {
        return outLine;
    }

    int recordInLine() {
        return outRecord;
    }

    boolean blank() {
        return outBlank;
    }

    /** Whether bytes of an unfinished record are pending (a last line without a line end). */
    private boolean pending() {
        return overflowing() || start < limit;
    }

    /**
     * Scans from {@code pos} up to the next byte that needs a decision, and decides it; true when a
     * record was completed (it is then the current one).
     */
    private boolean scan() {
        byte[] b = buf;
        int end = limit;
        if (skipLf) {
            skipLf = false;
            if (b[pos] == '\n') {
                pos++;
                start = pos;
                recordStartAbs = absolute(pos);
                return false;
            }
        }
        if (framing == RawRecords.Framing.LINES || mode == REST) {
            int i = pos;
            while (i < end && b[i] != '\n' && b[i] != '\r') {
                i++;
            }
            return stop(i, 0);
        }
        if (inString) {
            if (escape) { // the escaped character, whatever it is
                escape = false;
                return b[pos] == '\n' || b[pos] == '\r' ? lineEnd(pos, true) : step();
            }
            int i = pos;
            while (i < end && !IN_STRING_STOP[b[i] & 0xFF]) {
                i++;
            }
            if (stop(i, 1)) {
                return true;
            }
            if (pos < end) {
                if (b[pos] == '\\') {
                    escape = true;
                } else {
                    inString = false;
                }
                return step();
            }
            return false;
        }
        if (mode == OBJECT) {
            int i = pos;
            while (i < end && !OBJECT_STOP[b[i] & 0xFF]) {
                i++;
            }
            if (stop(i, 1)) {
                return true;
            }
            if (pos < end) {
                int c = b[pos];
                if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (--depth == 0) { // } or ]
                    mode = AFTER;
                }
                return step();
            }
            return false;
        }
        int c = b[pos];
        if (c == '\n' || c == '\r') {
            return lineEnd(pos, true);
        }
        if (c == '{') {
            boolean split = mode == AFTER; // a second object on the line: the record so far ends here
            if (split) {
                emit(pos, false);
                recordInLine++;
                start = pos;
                recordStartAbs = absolute(pos);
            }
            mode = OBJECT;
            depth = 1;
            pos++;
            return split;
        }
        if (c != ' ' && c != '\t') {
            mode = REST;
        }
        return step();
    }

    /**
     * The fast loop stopped at {@code i}: at the end of the bytes read (spill and wait for more), at a
     * line end (the record ends), or at a byte the caller decides ({@code decide} 1; 0 means every stop
     * is a line end).
     */
    private boolean stop(int i, int decide) {
        pos = i;
        if (i == limit) {
            spillIfOverlong();
            return false;
        }
        if (decide == 0 || buf[i] == '\n' || buf[i] == '\r') {
            return lineEnd(i, true);
        }
        return false;
    }

    /** Consumes the byte at {@code pos}. */
    private boolean step() {
        pos++;
        spillIfOverlong();
        return false;
    }

    /**
     * The current line ends at {@code i} (a line end byte when {@code terminated}, else the end of the
     * file): the current record ends there, and the next line starts after the line end.
     */
    private boolean lineEnd(int i, boolean terminated) {
        boolean blank = mode == START && !overflowing() && isBlank(buf, start, i);
        emit(i, blank);
        skipLf = terminated && buf[i] == '\r';
        pos = terminated ? i + 1 : i;
        start = pos;
        recordStartAbs = absolute(pos);
        mode = START;
        depth = 0;
        inString = false;
        escape = false;
        line++;
        recordInLine = 1;
        return true;
    }

    /** Makes the current record the bytes from its start to {@code end} (exclusive). */
    private void emit(int end, boolean blank) {
        outSize = absolute(end) - recordStartAbs;
        if (overflowing()) {
            outBuf = kept;
            outOff = 0;
            outLen = keepBytes;
            kept = null;
        } else {
            outBuf = buf;
            outOff = start;
            outLen = Math.min(end - start, keepBytes);
        }
        outLine = line;
        outRecord = recordInLine;
        outBlank = blank;
    }

    private boolean overflowing() {
        return kept != null;
    }

    /** A record longer than keepBytes stops being held: its first keepBytes bytes are kept aside. */
    private void spillIfOverlong() {
        if (kept == null && pos - start > keepBytes) {
            kept = Arrays.copyOfRange(buf, start, start + keepBytes);
        }
    }

    /** Reads more bytes, keeping the current record's bytes (unless it overflows) at the front of the buffer. */
    private void fill() throws IOException {
        int from = overflowing() ? pos : start;
        if (from > 0) {
            System.arraycopy(buf, from, buf, 0, limit - from);
            base += from;
            limit -= from;
            pos -= from;
            start = Math.max(0, start - from);
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        while (atFileStart && n >= 0 && limit + n < 3) { // enough bytes to see a byte-order mark
            limit += n;
            n = in.read(buf, limit, buf.length - limit);
        }
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
        if (atFileStart) {
            atFileStart = false;
            if (limit >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) {
                pos = start = 3;
                recordStartAbs = 3;
            }
        }
    }

    private long absolute(int index) {
        return base + index;
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static boolean[] stops(String bytes) {
        boolean[] stop = new boolean[256];
        bytes.chars().forEach(c -> stop[c] = true);
        return stop;
    }
}
