package dev.sensorhouse.zones;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * Reads one raw file as numbered records, at the byte level, in one pass: the file is decompressed by
 * its suffix ({@code .gz} and the other Hadoop codecs), split into lines and, with {@link
 * Framing#JSON_OBJECTS}, each line into the JSON objects written back to back on it (as Kinesis Data
 * Firehose writes records when producers add no delimiter). A record is a slice of the read buffer
 * ({@link #buffer()}, {@link #offset()}, {@link #length()}): nothing is copied per record, and a
 * record is valid until the next call of {@link #next()}.
 *
 * <ul>
 *   <li>Lines end with {@code \n}, {@code \r\n} or {@code \r}; a last line without an end is a line.
 *       A UTF-8 byte-order mark at the start of the file is skipped.
 *   <li>Objects of a line: a line is split before each {@code {}} that starts a top-level object
 *       following a complete one (only whitespace between them). Each record runs from the end of the
 *       previous one to the start of the next, so the records of a line are its bytes, in order, whole:
 *       the whitespace between two objects ends the first. A line whose content is not such a
 *       sequence (not an object, an unterminated object, other content after an object) is one record
 *       from that point to the line's end, to be rejected as a whole. Strings and escapes are followed,
 *       so braces inside strings never split.
 *   <li>A whitespace-only line is one {@link #blank()} record: it holds no data.
 *   <li>A record longer than {@code keepBytes} keeps its first {@code keepBytes} bytes; {@link #size()}
 *       gives its full size. The rest is scanned (to find where it ends) but never held.
 *   <li>Damage: when the decompressor fails (truncated or corrupt compressed data) the reader stops
 *       and {@link #damage()} tells where, with the error and the bytes of the record it was reading.
 *       Records before the damage were delivered as usual. A failure of the storage itself (the file
 *       system or object store) is not damage: it is thrown, so the run fails and can be retried.
 *   <li>At most {@code maxBytes} bytes of the stored file are read: the size the file had when it
 *       was listed, so a file that grows while it is read is read as it was listed.
 * </ul>
 */
public final class RawRecords implements Closeable {
    /** How a file's records are delimited. */
    public enum Framing {
        /** One record per line (CSV, JSON lines that must not be split). */
        LINES,
        /** One record per line, or per JSON object where a line holds several back to back. */
        JSON_OBJECTS
    }

    /** Where a file stopped being readable, and what was read of the record in progress. */
    public record Damage(long line, int recordInLine, String error, byte[] partial, long partialSize) {}

    private static final int START = 0, OBJECT = 1, AFTER = 2, REST = 3;
    private static final boolean[] IN_STRING_STOP = stops("\"\\\n\r");
    private static final boolean[] OBJECT_STOP = stops("\"{}[]\n\r");
    private static final int INITIAL_BUFFER = 256 << 10;

    private final StorageInput storage;
    private final InputStream in;
    private final Framing framing;
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
    private Damage damage;

    private RawRecords(StorageInput storage, InputStream in, Framing framing, int keepBytes) {
        if (keepBytes < 1) {
            throw new IllegalArgumentException("keepBytes must be positive, got " + keepBytes);
        }
        this.storage = storage;
        this.in = in;
        this.framing = framing;
        this.keepBytes = keepBytes;
    }

    /**
     * Opens a file of a Hadoop file system (local, s3a…), decompressing it by its suffix. A failure to
     * open it is a storage failure (thrown).
     */
    public static RawRecords open(Configuration conf, Path path, long maxBytes, Framing framing, int keepBytes) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            StorageInput storage = new StorageInput(fs.open(path, 1 << 20), maxBytes);
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
            InputStream in = storage;
            if (codec != null && maxBytes != 0) {
                try {
                    in = codec.createInputStream(storage);
                } catch (IOException | RuntimeException e) {
                    if (storage.failed != null) {
                        throw storage.failed;
                    }
                    RawRecords damaged = new RawRecords(storage, InputStream.nullInputStream(), framing, keepBytes);
                    damaged.damage = new Damage(1, 1, describe(e), new byte[0], 0);
                    return damaged;
                }
            }
            return new RawRecords(storage, in, framing, keepBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open raw file " + path, e);
        }
    }

    /** Reads records from a stream already decompressed (tests, in-memory data); every read failure is damage. */
    public static RawRecords of(InputStream in, Framing framing, int keepBytes) {
        return new RawRecords(null, in, framing, keepBytes);
    }

    /**
     * Moves to the next record. False at the end of the file, or at damage ({@link #damage()}).
     *
     * @throws UncheckedIOException when the storage fails
     */
    public boolean next() {
        if (damage != null) {
            return false;
        }
        while (true) {
            while (pos < limit) {
                if (scan()) {
                    return true;
                }
            }
            if (eof) {
                return pending() && lineEnd(limit, false);
            }
            try {
                fill();
            } catch (IOException | RuntimeException e) {
                if (storage != null && storage.failed != null) {
                    throw new UncheckedIOException("cannot read raw file after line " + (line - 1), storage.failed);
                }
                byte[] partial = overflowing() ? kept : Arrays.copyOfRange(buf, start, limit);
                damage = new Damage(line, recordInLine, describe(e), partial, absolute(limit) - recordStartAbs);
                return false;
            }
        }
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
        if (framing == Framing.LINES || mode == REST) {
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

    /** The buffer holding the current record's kept bytes. */
    public byte[] buffer() {
        return outBuf;
    }

    public int offset() {
        return outOff;
    }

    /** Bytes kept of the current record: its size, or keepBytes when it is longer. */
    public int length() {
        return outLen;
    }

    /** The current record's full size in bytes, without its line end. */
    public long size() {
        return outSize;
    }

    /** The 1-based line the current record is on. */
    public long line() {
        return outLine;
    }

    /** The 1-based position of the current record among the records of its line. */
    public int recordInLine() {
        return outRecord;
    }

    /** Whether the current record is a whitespace-only line (no data). */
    public boolean blank() {
        return outBlank;
    }

    /** Where reading stopped early, if it did. */
    public Optional<Damage> damage() {
        return Optional.ofNullable(damage);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // nothing left to read from it
        }
    }

    private static boolean[] stops(String bytes) {
        boolean[] stop = new boolean[256];
        bytes.chars().forEach(c -> stop[c] = true);
        return stop;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /**
     * The stored bytes, at most the listed size, noting the first failure of the storage itself so it
     * can be told apart from damage found by the decompressor above it.
     */
    private static final class StorageInput extends InputStream {
        private final InputStream in;
        private long left;
        IOException failed;

        StorageInput(InputStream in, long maxBytes) {
            this.in = in;
            this.left = maxBytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            try {
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            } catch (IOException e) {
                failed = e;
                throw e;
            }
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), left);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
