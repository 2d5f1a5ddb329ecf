package dev.sensorhouse.zones;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

    private final StorageInput storage;
    private final InputStream in;
    private final RecordScanner scanner;
    private Damage damage;

    private RawRecords(StorageInput storage, InputStream in, Framing framing, int keepBytes) {
        this.storage = storage;
        this.in = in;
        this.scanner = new RecordScanner(in, framing, keepBytes);
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
        try {
            return scanner.advance();
        } catch (IOException | RuntimeException e) {
            if (storage != null && storage.failed != null) {
                throw new UncheckedIOException(
                        "cannot read raw file after line " + (scanner.currentLine() - 1), storage.failed);
            }
            damage = new Damage(
                    scanner.currentLine(),
                    scanner.currentRecord(),
                    describe(e),
                    scanner.partial(),
                    scanner.partialSize());
            return false;
        }
    }

    /** The buffer holding the current record's kept bytes. */
    public byte[] buffer() {
        return scanner.buffer();
    }

    public int offset() {
        return scanner.offset();
    }

    /** Bytes kept of the current record: its size, or keepBytes when it is longer. */
    public int length() {
        return scanner.length();
    }

    /** The current record's full size in bytes, without its line end. */
    public long size() {
        return scanner.size();
    }

    /** The 1-based line the current record is on. */
    public long line() {
        return scanner.line();
    }

    /** The 1-based position of the current record among the records of its line. */
    public int recordInLine() {
        return scanner.recordInLine();
    }

    /** Whether the current record is a whitespace-only line (no data). */
    public boolean blank() {
        return scanner.blank();
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
