package dev.sensorhouse.e2e;

import static dev.sensorhouse.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.testing.TableSnapshot;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.RawZone;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A raw zone holding what real feeds deliver, each case with its expected outcome written here
 * independently of the job: unit spellings, a byte-order mark, CRLF and blank lines, records back to
 * back on a line (Firehose), bytes that are not UTF-8, repeated keys, NaN and 1e999, deep nesting,
 * timestamps with a space or without a zone, epoch seconds, a 10 MB line, a truncated gzip file,
 * binary garbage and an empty file. {@code sensorhouse cleanse} must exit 0, cleanse every good event
 * (in canonical units), quarantine every damaged record or file with its reason, reconcile exactly,
 * and change nothing when run again. Then files grow, are replaced and arrive too old for the lookback.
 */
class RawInputAsFeedsSendItTest extends SparkTestBase {
    private static final Instant H0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String READINGS = "cleansed/readings";
    private static final String QUARANTINE = "quarantine/events";

    /** The outcome a cleanse must reach, written down case by case. */
    private static final class Expected {
        final Map<String, Double> readings = new TreeMap<>(); // event/metric -> canonical value
        final TreeSet<String> quarantine = new TreeSet<>(); // file:line#record scope reason metric
        long recordsRejected;
        long duplicates;
        long blankLines;
        long concatenatedLines;
        long unreadableFiles;

        void cleansed(String eventId, String metric, double value) {
            readings.put(eventId + "/" + metric, value);
        }

        void rejected(String file, long line, long record, String reason) {
            quarantine.add(key(file, line, record, reason.equals("unreadable_file") ? "file" : "line", reason, null));
            recordsRejected++;
        }

        void readingRejected(String file, long line, long record, String reason, String metric) {
            quarantine.add(key(file, line, record, "reading", reason, metric));
        }

        long events() {
            return readings.keySet().stream()
                    .map(k -> k.substring(0, k.indexOf('/')))
                    .distinct()
                    .count();
        }

        long linesIn() {
            return events() + recordsRejected + duplicates;
        }
    }

    private static String key(String file, long line, long record, String scope, String reason, String metric) {
        return file.substring(file.lastIndexOf('/') + 1) + ":" + line + "#" + record + " " + scope + " " + reason + " "
                + metric;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String write(Path lake, Instant hour, String name, byte[] content) throws IOException {
        String dir = RawZone.hourDir(hour);
        Files.createDirectories(lake.resolve(dir));
        Files.write(lake.resolve(dir).resolve(name), content);
        return dir + "/" + name;
    }

    private static byte[] lines(String... lines) {
        return utf8(String.join("\n", lines) + "\n");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** Five good events z1..z5 whole, then a second gzip member cut in the middle of one long line. */
    private static byte[] truncatedGzip() throws IOException {
        StringBuilder good = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            good.append(event("z" + i).metric("light", i).json()).append('\n');
        }
        StringBuilder longLine = new StringBuilder();
        Random random = new Random(3);
        while (longLine.length() < 200_000) {
            longLine.append(Long.toHexString(random.nextLong()));
        }
        byte[] second = gzip(utf8(longLine.toString()));
        return concat(gzip(utf8(good.toString())), Arrays.copyOf(second, second.length / 2));
    }

    @Test
    void everyKindOfBadInputEndsInItsPlaceAndARerunChangesNothing() throws Exception {
        Path lake = lakeDir();
        Expected x = new Expected();

        String units = write(
                lake,
                H0,
                "units.json",
                lines(
                        event("u1")
                                .metric("temperature", 122)
                                .unit("temperature", "F")
                                .json(),
                        event("u2")
                                .metric("temperature", 122)
                                .unit("temperature", "°F")
                                .json(),
                        event("u3")
                                .metric("temperature", 122)
                                .unit("temperature", "degF")
                                .json(),
                        event("u4")
                                .metric("temperature", 122)
                                .unit("temperature", "[degF]")
                                .json(),
                        event("u5")
                                .metric("temperature", 21.5)
                                .unit("temperature", "Celsius")
                                .json(),
                        event("u6")
                                .metric("temperature", 21.5)
                                .unit("temperature", "°C")
                                .json(),
                        event("u7")
                                .metric("temperature", 21.5)
                                .unit("temperature", "Cel")
                                .json(),
                        event("u8")
                                .metric("temperature", 294.65)
                                .unit("temperature", "K")
                                .json(),
                        event("u9")
                                .metric("humidity", 55)
                                .unit("humidity", "%RH")
                                .json(),
                        event("u10")
                                .metric("battery", 3700)
                                .unit("battery", "mV")
                                .json(),
                        event("u11").metric("speed", 10).unit("speed", "m/s").json(),
                        event("u12").metric("speed", 36).unit("speed", "km/h").json(),
                        event("u13").metric("speed", 10).unit("speed", "mph").json(),
                        event("u14")
                                .metric("light", 5)
                                .unit("light", "furlongs")
                                .metric("humidity", 40)
                                .json()));
        for (String id : List.of("u1", "u2", "u3", "u4")) {
            x.cleansed(id, "temperature", 50.0);
        }
        for (String id : List.of("u5", "u6", "u7", "u8")) {
            x.cleansed(id, "temperature", 21.5);
        }
        x.cleansed("u9", "humidity", 55.0);
        x.cleansed("u10", "battery", 3.7);
        x.cleansed("u11", "speed", 36.0);
        x.cleansed("u12", "speed", 36.0);
        x.cleansed("u13", "speed", 16.09344);
        x.cleansed("u14", "humidity", 40.0);
        x.readingRejected(units, 14, 1, "invalid_unit", "light");

        write(
                lake,
                H0,
                "crlf-bom.json",
                concat(
                        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        utf8(event("b1").metric("light", 1).json() + "\r\n\r\n  \t\r\n"
                                + event("b2").metric("light", 2).json() + "\r\n")));
        x.cleansed("b1", "light", 1.0);
        x.cleansed("b2", "light", 2.0);
        x.blankLines += 2;

        String f1 = event("f1").metric("light", 11).json();
        String firehose = write(
                lake,
                H0,
                "firehose.json",
                lines(
                        f1
                                + event("f2").metric("light", 12).json()
                                + event("f3")
                                        .metric("light", 13)
                                        .without("device_id")
                                        .json(),
                        event("f4").metric("light", 14).json() + " "
                                + event("f5").metric("light", 15).json(),
                        event("f6").metric("light", 16).json() + "garbage",
                        f1 + event("f7").metric("light", 17).json()));
        x.cleansed("f1", "light", 11.0);
        x.cleansed("f2", "light", 12.0);
        x.rejected(firehose, 1, 3, "missing_field");
        x.cleansed("f4", "light", 14.0);
        x.cleansed("f5", "light", 15.0);
        x.rejected(firehose, 3, 1, "malformed_json");
        x.duplicates++; // f1 again, line 4 record 1: the copy on line 1 came first
        x.cleansed("f7", "light", 17.0);
        x.concatenatedLines += 3;

        String tail = "\",\"device_id\":\"d1\",\"ts\":\"2026-01-01T00:00:05Z\",\"metrics\":{\"light\":1}}";
        byte[] fe = concat(utf8("{\"event_id\":\"u-"), new byte[] {(byte) 0xFE}, utf8(tail));
        byte[] ff = concat(utf8("{\"event_id\":\"u-"), new byte[] {(byte) 0xFF}, utf8(tail));
        String encoding = write(
                lake,
                H0,
                "encoding.json",
                concat(fe, utf8("\n"), ff, utf8("\n"), utf8("{\"event_id\":\"u-\\ud800" + tail + "\n")));
        x.rejected(encoding, 1, 1, "invalid_encoding");
        x.rejected(encoding, 2, 1, "invalid_encoding");
        x.rejected(encoding, 3, 1, "invalid_encoding");

        String head = "{\"event_id\":\"k1\",\"device_id\":\"d1\",\"ts\":\"2026-01-01T00:00:05Z\",";
        String keys = write(
                lake,
                H0,
                "keys.json",
                lines(
                        head + "\"metrics\":{\"temperature\":21.5},\"metrics\":{\"humidity\":55.0}}",
                        head + "\"event_id\":\"k2\",\"metrics\":{\"light\":1}}"));
        x.rejected(keys, 1, 1, "duplicate_key");
        x.rejected(keys, 2, 1, "duplicate_key");

        String numbers = write(
                lake,
                H0,
                "numbers.json",
                lines(
                        event("n1").raw("metrics", "{\"temperature\":NaN}").json(),
                        event("n2")
                                .raw("metrics", "{\"temperature\":1e999,\"humidity\":50}")
                                .json(),
                        event("n3")
                                .metric("light", 1)
                                .raw("extra", "[".repeat(150) + "]".repeat(150))
                                .json(),
                        event("n4")
                                .raw("metrics", "{\"temperature\":-Infinity}")
                                .json()));
        x.rejected(numbers, 1, 1, "malformed_json");
        x.cleansed("n2", "humidity", 50.0);
        x.readingRejected(numbers, 2, 1, "out_of_range", "temperature");
        x.rejected(numbers, 3, 1, "malformed_json");
        x.rejected(numbers, 4, 1, "malformed_json");

        Instant at = Instant.parse("2026-01-01T00:10:00Z");
        String times = write(
                lake,
                H0,
                "times.json",
                lines(
                        event("t1")
                                .at("2026-01-01 00:10:00Z")
                                .metric("light", 1)
                                .json(),
                        event("t2").at("2026-01-01T00:10:00").metric("light", 1).json(),
                        event("t3")
                                .atEpochMillis(at.getEpochSecond())
                                .metric("light", 1)
                                .json()));
        x.cleansed("t1", "light", 1.0);
        x.rejected(times, 2, 1, "invalid_timestamp");
        x.cleansed("t3", "light", 1.0);

        byte[] big = concat(
                utf8("{\"event_id\":\"big\",\"pad\":\""),
                "x".repeat(10 << 20).getBytes(StandardCharsets.US_ASCII),
                utf8("\"}\n" + event("after-big").metric("light", 3).json() + "\n"));
        String bigFile = write(lake, H0, "big.json", big);
        x.rejected(bigFile, 1, 1, "oversized_record");
        x.cleansed("after-big", "light", 3.0);

        String cut = write(lake, H0, "cut.json.gz", truncatedGzip());
        for (int i = 1; i <= 5; i++) {
            x.cleansed("z" + i, "light", i);
        }
        x.rejected(cut, 6, 1, "unreadable_file");
        x.unreadableFiles++;

        byte[] garbage = new byte[3000];
        new Random(11).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] == '{') {
                garbage[i] = 0; // no byte starts an object, so each line is one record
            }
        }
        String garbageFile = write(lake, H0, "garbage.bin.json", garbage);
        expectGarbage(x, garbageFile, garbage);

        write(lake, H0, "empty.json", new byte[0]);

        Cli.Outcome first = Cli.succeed("cleanse", "--lake", lake.toString());

        assertThat(readings(lake)).as(first.describe()).isEqualTo(x.readings);
        assertThat(quarantine(lake)).isEqualTo(x.quarantine);
        JobRun run = cleanseRuns(lake).get(0);
        assertThat(run.status()).isEqualTo(JobRun.Status.SUCCEEDED);
        assertThat(run.inputFiles()).hasSize(11);
        Map<String, Long> c = run.counts();
        assertThat(c.get("lines_in")).isEqualTo(x.linesIn());
        assertThat(c.get("events_cleansed")).isEqualTo(x.events());
        assertThat(c.get("lines_quarantined")).isEqualTo(x.recordsRejected);
        assertThat(c.get("duplicates")).isEqualTo(x.duplicates);
        assertThat(c.get("blank_lines")).isEqualTo(x.blankLines);
        assertThat(c.get("concatenated_lines")).isEqualTo(x.concatenatedLines);
        assertThat(c.get("files_unreadable")).isEqualTo(x.unreadableFiles);
        assertThat(c.get("lines_in"))
                .isEqualTo(c.get("events_cleansed") + c.get("lines_quarantined") + c.get("duplicates"));

        Lake l = Lake.at(spark(), lake.toString());
        List<Row> notUtf8 = l.quarantineEvents()
                .read()
                .filter("source_file = '" + encoding + "' AND source_line <= 2")
                .orderBy("source_line")
                .collectAsList();
        assertThat(notUtf8).extracting(r -> r.<String>getAs("raw_encoding")).containsOnly("base64");
        assertThat(Base64.getDecoder().decode(notUtf8.get(0).<String>getAs("raw_line")))
                .isEqualTo(fe);
        assertThat(Base64.getDecoder().decode(notUtf8.get(1).<String>getAs("raw_line")))
                .isEqualTo(ff);
        Row oversized = l.quarantineEvents()
                .read()
                .filter("reason_code = 'oversized_record'")
                .head();
        assertThat(oversized.<String>getAs("raw_line")).hasSize(65_536).startsWith("{\"event_id\":\"big\"");
        assertThat(oversized.<String>getAs("reason_detail")).contains("10,485,7");
        Row unreadable = l.quarantineEvents()
                .read()
                .filter("reason_code = 'unreadable_file'")
                .head();
        assertThat(unreadable.<String>getAs("reason_detail"))
                .contains("from line 6")
                .contains("EOFException");
        Row t1 = l.cleansedReadings().read().filter("event_id = 't1'").head();
        Row t3 = l.cleansedReadings().read().filter("event_id = 't3'").head();
        assertThat(t1.<Timestamp>getAs("event_ts").toInstant()).isEqualTo(at);
        assertThat(t3.<Timestamp>getAs("event_ts").toInstant()).isEqualTo(at);
        assertThat(l.cleansedReadings().read().filter("event_id = 'f2'").head().<Long>getAs("source_record"))
                .isEqualTo(2L);

        TableSnapshot readingsBefore = TableSnapshot.ofTable(spark(), lake, READINGS);
        TableSnapshot quarantineBefore = TableSnapshot.ofTable(spark(), lake, QUARANTINE);
        Cli.succeed("cleanse", "--lake", lake.toString());
        assertThat(cleanseRuns(lake).get(1).count("lines_in")).isZero();
        TableSnapshot.ofTable(spark(), lake, READINGS).assertSameRowsAs(readingsBefore);
        TableSnapshot.ofTable(spark(), lake, QUARANTINE).assertSameRowsAs(quarantineBefore);
    }

    /**
     * The garbage file's lines, split as the contract says (LF, CRLF or CR; a last line without an end):
     * whitespace-only lines are blank, lines that are not UTF-8 invalid_encoding, the rest malformed_json.
     */
    private static void expectGarbage(Expected x, String file, byte[] bytes) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                lines.add(Arrays.copyOfRange(bytes, start, i));
                if (bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            lines.add(Arrays.copyOfRange(bytes, start, bytes.length));
        }
        for (int n = 0; n < lines.size(); n++) {
            byte[] line = lines.get(n);
            boolean blank = true;
            for (byte b : line) {
                blank &= b == ' ' || b == '\t';
            }
            if (blank) {
                x.blankLines++;
            } else {
                x.rejected(file, n + 1, 1, utf8Valid(line) ? "malformed_json" : "invalid_encoding");
            }
        }
    }

    private static boolean utf8Valid(byte[] b) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void grownAndReplacedFilesAreReadAgainAndFilesTooOldForTheLookbackAreReported() throws Exception {
        Path lake = lakeDir();
        String a = write(
                lake,
                H0,
                "a.json",
                lines(
                        event("a1").metric("light", 1).json(),
                        event("a2").metric("light", 2).json()));
        String cut = write(lake, H0, "cut.json.gz", truncatedGzip());
        Cli.succeed("cleanse", "--lake", lake.toString(), "--lookback", "1h");
        assertThat(quarantine(lake)).containsExactly(key(cut, 6, 1, "file", "unreadable_file", null));

        Files.write(
                lake.resolve(a),
                lines(
                        event("a3").metric("light", 3).json(),
                        event("a1").metric("light", 1).json()),
                java.nio.file.StandardOpenOption.APPEND);
        StringBuilder whole = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            whole.append(event("z" + i).metric("light", i).json()).append('\n');
        }
        Files.write(lake.resolve(cut), gzip(utf8(whole.toString())));
        String old = write(
                lake,
                H0.minus(Duration.ofHours(5)),
                "old.json",
                lines(event("o1").metric("light", 9).json()));

        Cli.Outcome second = Cli.succeed("cleanse", "--lake", lake.toString(), "--lookback", "1h");

        JobRun run = cleanseRuns(lake).get(1);
        assertThat(run.inputFiles()).containsExactlyInAnyOrder(a, cut);
        assertThat(run.count("files_skipped_by_lookback")).isEqualTo(1);
        assertThat(run.count("duplicates")).isEqualTo(1);
        assertThat(run.count("lines_in")).isEqualTo(4 + 8);
        assertThat(second.err()).contains("skipped " + old);
        assertThat(second.out()).contains("skipped by lookback");
        Map<String, Double> expected = new TreeMap<>();
        for (int i = 1; i <= 3; i++) {
            expected.put("a" + i + "/light", (double) i);
        }
        for (int i = 1; i <= 8; i++) {
            expected.put("z" + i + "/light", (double) i);
        }
        assertThat(readings(lake)).isEqualTo(expected);
        assertThat(quarantine(lake)).isEmpty();

        TableSnapshot readingsBefore = TableSnapshot.ofTable(spark(), lake, READINGS);
        Cli.Outcome third = Cli.succeed("cleanse", "--lake", lake.toString(), "--lookback", "1h");
        assertThat(cleanseRuns(lake).get(2).count("lines_in")).isZero();
        assertThat(cleanseRuns(lake).get(2).count("files_skipped_by_lookback")).isEqualTo(1);
        assertThat(third.err()).contains("skipped " + old);
        TableSnapshot.ofTable(spark(), lake, READINGS).assertSameRowsAs(readingsBefore);

        assertThat(Cli.run("cleanse", "--lake=").code())
                .as("an empty --lake is a usage error")
                .isEqualTo(2);
    }

    private Map<String, Double> readings(Path lake) {
        Map<String, Double> m = new TreeMap<>();
        for (Row r : Lake.at(spark(), lake.toString()).cleansedReadings().read().collectAsList()) {
            double v = r.<Double>getAs("value");
            m.put(r.getAs("event_id") + "/" + r.getAs("metric"), Math.round(v * 1e9) / 1e9);
        }
        return m;
    }

    private TreeSet<String> quarantine(Path lake) {
        TreeSet<String> s = new TreeSet<>();
        for (Row r : Lake.at(spark(), lake.toString()).quarantineEvents().read().collectAsList()) {
            s.add(key(
                    r.getAs("source_file"),
                    r.<Long>getAs("source_line"),
                    r.<Long>getAs("source_record"),
                    r.getAs("scope"),
                    r.getAs("reason_code"),
                    r.getAs("metric")));
        }
        return s;
    }

    private static List<JobRun> cleanseRuns(Path lake) {
        return Lake.at(spark(), lake.toString()).jobRuns().all().stream()
                .filter(r -> r.job().equals("cleanse"))
                .toList();
    }
}
