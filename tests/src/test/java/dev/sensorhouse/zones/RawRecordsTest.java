package dev.sensorhouse.zones;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawRecordsTest {
    @TempDir
    Path dir;

    /** One record as read: line, position in the line, kept text, full size, blank. */
    record Rec(long line, int record, String text, long size, boolean blank) {
        static Rec of(long line, int record, String text) {
            return new Rec(line, record, text, text.getBytes(StandardCharsets.UTF_8).length, false);
        }
    }

    private static List<Rec> read(RawRecords r) {
        List<Rec> out = new ArrayList<>();
        while (r.next()) {
            out.add(new Rec(
                    r.line(),
                    r.recordInLine(),
                    new String(r.buffer(), r.offset(), r.length(), StandardCharsets.ISO_8859_1),
                    r.size(),
                    r.blank()));
        }
        return out;
    }

    private static List<Rec> objects(String content) {
        return read(RawRecords.of(stream(content, 1 << 20), RawRecords.Framing.JSON_OBJECTS, 1 << 20));
    }

    /** A stream that returns at most {@code chunk} bytes per read, to cross buffer boundaries everywhere. */
    private static InputStream stream(String content, int chunk) {
        byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void linesEndWithLfCrLfOrCrAndALastLineNeedsNoEnd() {
        assertThat(objects("{\"a\":1}\r\n{\"b\":2}\r{\"c\":3}\n{\"d\":4}"))
                .containsExactly(
                        Rec.of(1, 1, "{\"a\":1}"),
                        Rec.of(2, 1, "{\"b\":2}"),
                        Rec.of(3, 1, "{\"c\":3}"),
                        Rec.of(4, 1, "{\"d\":4}"));
        assertThat(objects("")).isEmpty();
        assertThat(objects("{}\n")).containsExactly(Rec.of(1, 1, "{}"));
    }

    @Test
    void aByteOrderMarkAtTheStartOfTheFileIsSkipped() {
        assertThat(objects("\u00EF\u00BB\u00BF{\"a\":1}\n{\"b\":2}"))
                .containsExactly(Rec.of(1, 1, "{\"a\":1}"), Rec.of(2, 1, "{\"b\":2}"));
    }

    @Test
    void blankLinesAreBlankRecords() {
        assertThat(objects("{}\n\n  \t \n{}"))
                .containsExactly(
                        Rec.of(1, 1, "{}"),
                        new Rec(2, 1, "", 0, true),
                        new Rec(3, 1, "  \t ", 4, true),
                        Rec.of(4, 1, "{}"));
    }

    @Test
    void objectsBackToBackOnALineAreSplitAndTheirBytesStayWhole() {
        String line = "{\"a\":\"}{\\\"\",\"n\":[1,{\"x\":2}]}{\"b\":2}  {\"c\":3} ";
        assertThat(objects(line + "\n{\"d\":4}"))
                .containsExactly(
                        Rec.of(1, 1, "{\"a\":\"}{\\\"\",\"n\":[1,{\"x\":2}]}"),
                        Rec.of(1, 2, "{\"b\":2}  "),
                        Rec.of(1, 3, "{\"c\":3} "),
                        Rec.of(2, 1, "{\"d\":4}"));
    }

    @Test
    void contentThatIsNoSequenceOfObjectsStaysInOneRecordToTheLineEnd() {
        assertThat(objects("[1,2]{\"a\":1}\n{\"a\":1} trailing {\"b\":2}\n{\"a\":{\"b\":1}{\"c\":2}\n{\"a\":\"x\n"))
                .containsExactly(
                        Rec.of(1, 1, "[1,2]{\"a\":1}"),
                        Rec.of(2, 1, "{\"a\":1} trailing {\"b\":2}"),
                        Rec.of(3, 1, "{\"a\":{\"b\":1}{\"c\":2}"),
                        Rec.of(4, 1, "{\"a\":\"x"));
        assertThat(objects("{\"a\":1}{\"b\":2\n")).containsExactly(Rec.of(1, 1, "{\"a\":1}"), Rec.of(1, 2, "{\"b\":2"));
    }

    @Test
    void linesFramingNeverSplits() {
        List<Rec> recs = read(RawRecords.of(stream("a,b\r\n{}{}\n\n", 3), RawRecords.Framing.LINES, 100));
        assertThat(recs).containsExactly(Rec.of(1, 1, "a,b"), Rec.of(2, 1, "{}{}"), new Rec(3, 1, "", 0, true));
    }

    @Test
    void aRecordLongerThanTheKeptBytesKeepsItsStartAndItsFullSize() {
        String big = "{\"pad\":\"" + "x".repeat(10_000) + "\"}";
        List<Rec> recs = read(RawRecords.of(
                stream(big + "{\"b\":1}\n" + "y".repeat(5000) + "\n{\"c\":1}", 777),
                RawRecords.Framing.JSON_OBJECTS,
                100));
        assertThat(recs)
                .containsExactly(
                        new Rec(1, 1, big.substring(0, 100), big.length(), false),
                        Rec.of(1, 2, "{\"b\":1}"),
                        new Rec(2, 1, "y".repeat(100), 5000, false),
                        Rec.of(3, 1, "{\"c\":1}"));
    }

    /** Random lines of objects, strings with braces and escapes, junk and blanks: read in any chunking, the same records. */
    @Test
    void anyChunkingGivesTheSameRecordsAndEachLineIsItsRecordsWhole() {
        Random random = new Random(7);
        String[] parts = {"{\"a\":\"}{\"}", "{\"b\":[1,2,{}]}", "{\"c\":\"\\\\\"}", " ", "\t", "x", "{", "}", "\"", "\\"
        };
        for (int round = 0; round < 200; round++) {
            StringBuilder content = new StringBuilder();
            List<String> lines = new ArrayList<>();
            for (int l = random.nextInt(5); l >= 0; l--) {
                StringBuilder line = new StringBuilder();
                for (int p = random.nextInt(6); p > 0; p--) {
                    line.append(parts[random.nextInt(parts.length)]);
                }
                lines.add(line.toString());
                content.append(line).append(random.nextBoolean() ? "\n" : "\r\n");
            }
            List<Rec> whole =
                    read(RawRecords.of(stream(content.toString(), 1 << 20), RawRecords.Framing.JSON_OBJECTS, 1 << 20));
            List<Rec> trickled = read(RawRecords.of(
                    stream(content.toString(), 1 + random.nextInt(5)), RawRecords.Framing.JSON_OBJECTS, 1 << 20));
            assertThat(trickled).as(content.toString()).isEqualTo(whole);
            for (int l = 0; l < lines.size(); l++) {
                long line = l + 1;
                String joined = String.join(
                        "",
                        whole.stream()
                                .filter(r -> r.line() == line)
                                .map(Rec::text)
                                .toList());
                assertThat(joined).as("line %d of %s", line, content).isEqualTo(lines.get(l));
            }
        }
    }

    @Test
    void aTruncatedGzipFileGivesItsWholeLinesThenDamage() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            text.append("{\"event_id\":\"e")
                    .append(i)
                    .append("\",\"v\":")
                    .append(i * 7919 % 1000)
                    .append("}\n");
        }
        byte[] gz = gzip(text.toString().getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("cut.json.gz");
        Files.write(file, Arrays.copyOf(gz, gz.length * 2 / 3));

        RawRecords r = open(file, Files.size(file));
        List<Rec> recs = read(r);

        assertThat(recs).isNotEmpty().hasSizeLessThan(2000);
        for (int i = 0; i < recs.size(); i++) {
            assertThat(recs.get(i).text())
                    .startsWith("{\"event_id\":\"e" + (i + 1) + "\"")
                    .endsWith("}");
        }
        assertThat(r.damage()).hasValueSatisfying(d -> {
            assertThat(d.line()).isEqualTo(recs.size() + 1);
            assertThat(d.error()).contains("EOFException");
            assertThat(d.partial()).hasSize((int) d.partialSize());
        });
    }

    @Test
    void aFileThatIsNotGzipInsideIsDamagedAtItsFirstLine() throws IOException {
        Path file = dir.resolve("plain.json.gz");
        Files.writeString(file, "{\"a\":1}\n");
        RawRecords r = open(file, Files.size(file));
        assertThat(read(r)).isEmpty();
        assertThat(r.damage()).hasValueSatisfying(d -> assertThat(d.line()).isEqualTo(1));
    }

    @Test
    void anEmptyFileHasNoRecordsAndNoDamageWhateverItsSuffix() throws IOException {
        Path file = dir.resolve("empty.json.gz");
        Files.write(file, new byte[0]);
        RawRecords r = open(file, 0);
        assertThat(read(r)).isEmpty();
        assertThat(r.damage()).isEmpty();
    }

    @Test
    void aFileIsReadUpToTheSizeItWasListedWith() throws IOException {
        Path file = dir.resolve("growing.json");
        Files.writeString(file, "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
        assertThat(read(open(file, 12))).containsExactly(Rec.of(1, 1, "{\"a\":1}"), Rec.of(2, 1, "{\"b\""));
    }

    private RawRecords open(Path file, long bytes) {
        return RawRecords.open(
                new Configuration(),
                new org.apache.hadoop.fs.Path(file.toUri()),
                bytes,
                RawRecords.Framing.JSON_OBJECTS,
                1 << 16);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
