package dev.sensorhouse.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.quarantine.ReasonCode;
import dev.sensorhouse.zones.RawRecords;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the validator over inputs no one wrote by hand: arbitrary bytes, and good event lines
 * mutated the way broken producers and transports mutate JSON (characters dropped, inserted or
 * swapped, cut short, bytes that are not UTF-8, odd numbers, repeated keys, concatenation). Whatever the
 * input: no exception, and exactly one outcome per record: an event with at least one good reading
 * (and only reading-level rejects), or a rejected record with at least one reason and no reading.
 */
class ValidatorPropertiesTest {
    private static final long HOUR_0 = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000L;
    private static final RawEventValidator VALIDATOR = new RawEventValidator(
            MetricCatalog.defaults(),
            new EventLimits(4096, java.time.Duration.ofMinutes(5), java.time.Duration.ofDays(7)));

    @Property(tries = 2000)
    void arbitraryBytesGetExactlyOneOutcome(@ForAll @Size(max = 300) byte[] bytes) {
        ValidatedRecord v = VALIDATOR.validate(bytes, 0, bytes.length, HOUR_0);
        assertOneOutcome(v);
        if (!utf8(bytes)) {
            assertThat(v.rejects().get(0).reason()).isEqualTo(ReasonCode.INVALID_ENCODING);
        }
    }

    @Property(tries = 3000)
    void mutatedEventsGetExactlyOneOutcome(@ForAll("mutatedEvents") byte[] line) {
        ValidatedRecord v = VALIDATOR.validate(line, 0, line.length, HOUR_0);
        assertOneOutcome(v);
        if (!utf8(line)) {
            assertThat(v.rejected()).isTrue();
            assertThat(v.rejects().get(0).reason()).isEqualTo(ReasonCode.INVALID_ENCODING);
        }
        if (v.rejected() && v.rejects().get(0).reason() == ReasonCode.INVALID_ENCODING) {
            assertThat(v.eventId()).isNull();
        }
    }

    /** A line of several (mutated) events back to back: each record gets one outcome, and the records are the line. */
    @Property(tries = 1000)
    void everyRecordOfAConcatenatedLineGetsExactlyOneOutcome(@ForAll("concatenatedLines") byte[] line) {
        RawRecords records = RawRecords.of(new ByteArrayInputStream(line), RawRecords.Framing.JSON_OBJECTS, 8192);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        int outcomes = 0;
        while (records.next()) {
            if (records.blank()) {
                continue;
            }
            whole.write(records.buffer(), records.offset(), records.length());
            assertOneOutcome(
                    VALIDATOR.validate(records.buffer(), records.offset(), records.length(), records.size(), HOUR_0));
            outcomes++;
        }
        assertThat(records.damage()).isEmpty();
        boolean bom =
                line.length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF;
        byte[] content = bom ? java.util.Arrays.copyOfRange(line, 3, line.length) : line;
        boolean blank = true;
        for (byte x : content) {
            blank &= x == ' ' || x == '\t';
        }
        if (blank) {
            assertThat(outcomes).isZero();
        } else {
            assertThat(outcomes).isPositive();
            assertThat(whole.toByteArray()).isEqualTo(content);
        }
    }

    /** Good events back to back are each cleansed, with their own ids, in order. */
    @Property(tries = 300)
    void goodEventsBackToBackAreEachCleansed(@ForAll("goodEventLists") List<String> events) {
        byte[] line = String.join(" ", events).getBytes(StandardCharsets.UTF_8);
        RawRecords records = RawRecords.of(new ByteArrayInputStream(line), RawRecords.Framing.JSON_OBJECTS, 8192);
        List<String> ids = new ArrayList<>();
        while (records.next()) {
            ValidatedRecord v =
                    VALIDATOR.validate(records.buffer(), records.offset(), records.length(), records.size(), HOUR_0);
            assertThat(v.rejected()).as("%s", v.rejects()).isFalse();
            ids.add(v.eventId());
        }
        assertThat(ids).hasSize(events.size());
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i)).contains("\"event_id\":\"" + ids.get(i) + "\"");
        }
    }

    private static void assertOneOutcome(ValidatedRecord v) {
        assertThat(v).isNotNull();
        if (v.rejected()) {
            assertThat(v.readings()).isEmpty();
            assertThat(v.rejects()).isNotEmpty();
        } else {
            assertThat(v.readings()).isNotEmpty();
            assertThat(v.rejects())
                    .allSatisfy(r -> assertThat(r.reason().scope()).isEqualTo(ReasonCode.Scope.READING));
            assertThat(v.eventId()).isNotEmpty();
            assertThat(v.readings()).allSatisfy(r -> assertThat(r.value()).isFinite());
        }
        assertThat(v.rejects()).allSatisfy(r -> {
            assertThat(r.reason()).isNotNull();
            assertThat(r.detail()).isNotBlank();
        });
    }

    private static boolean utf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<String> goodEvents() {
        Arbitrary<String> ids =
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<Double> temperatures = Arbitraries.doubles().between(-40, 60).ofScale(2);
        Arbitrary<String> units =
                Arbitraries.of("celsius", "C", "°C", "degC", "Cel", "K", "F", "°F", "[degF]", "furlongs");
        Arbitrary<Integer> seconds = Arbitraries.integers().between(0, 3599);
        return Combinators.combine(ids, temperatures, units, seconds)
                .as((id, t, unit, s) -> String.format(
                        java.util.Locale.ROOT,
                        "{\"event_id\":\"%s\",\"device_id\":\"farm-1-probe-1\",\"ts\":\"2026-01-01T00:%02d:%02dZ\","
                                + "\"metrics\":{\"temperature\":%s,\"humidity\":%s},\"units\":{\"temperature\":\"%s\"},"
                                + "\"location\":{\"lat\":52.1,\"lon\":5.2},\"battery_v\":3.9,\"firmware\":\"2.4.1\",\"seq\":%d}",
                        id,
                        s / 60,
                        s % 60,
                        unit.equals("K")
                                ? Double.toString(t + 273.15)
                                : unit.contains("F") ? Double.toString(t * 1.8 + 32) : Double.toString(t),
                        Double.toString(Math.abs(t)),
                        unit,
                        s));
    }

    @Provide
    Arbitrary<List<String>> goodEventLists() {
        return goodEvents().list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<byte[]> mutatedEvents() {
        return Combinators.combine(goodEvents(), mutations().list().ofMaxSize(4))
                .as((event, ms) -> {
                    byte[] b = event.getBytes(StandardCharsets.UTF_8);
                    for (Mutation m : ms) {
                        b = m.apply(b);
                    }
                    return b;
                });
    }

    @Provide
    Arbitrary<byte[]> concatenatedLines() {
        return mutatedEvents().list().ofMinSize(1).ofMaxSize(4).map(parts -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                for (byte x : p) {
                    if (x != '\n' && x != '\r') { // one line
                        out.write(x);
                    }
                }
            }
            return out.toByteArray();
        });
    }

    /** One change to a line's bytes, at a position chosen as a fraction of its length. */
    private interface Mutation {
        byte[] apply(byte[] b);
    }

    private static final String[] TOKENS = {
        "{",
        "}",
        "[",
        "]",
        "\"",
        ":",
        ",",
        "\\",
        "\\u0000",
        "\\ud800",
        "NaN",
        "Infinity",
        "1e999",
        "-0",
        "null",
        "true",
        "\"metrics\":{\"light\":1},",
        "\"event_id\":\"dup\",",
        "\uFEFF",
        "é",
        " ",
        "\t",
        "\u0000"
    };

    private static Arbitrary<Mutation> mutations() {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
        Arbitrary<Mutation> drop = at.map(f -> b -> splice(b, f, 1, new byte[0]));
        Arbitrary<Mutation> cut = at.map(f -> b -> java.util.Arrays.copyOf(b, (int) (f * b.length)));
        Arbitrary<Mutation> insert = Combinators.combine(at, Arbitraries.of(TOKENS))
                .as((f, token) -> b -> splice(b, f, 0, token.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Mutation> badByte = Combinators.combine(
                        at, Arbitraries.integers().between(0x80, 0xFF))
                .as((f, x) -> b -> splice(b, f, 0, new byte[] {(byte) (int) x}));
        Arbitrary<Mutation> swap = Combinators.combine(at, at).as((f, g) -> b -> {
            byte[] c = b.clone();
            if (c.length > 1) {
                int i = Math.min(c.length - 1, (int) (f * c.length));
                int j = Math.min(c.length - 1, (int) (g * c.length));
                byte t = c[i];
                c[i] = c[j];
                c[j] = t;
            }
            return c;
        });
        Arbitrary<Mutation> repeat = Combinators.combine(at, at).as((f, g) -> b -> {
            int i = (int) (Math.min(f, g) * b.length);
            int j = (int) (Math.max(f, g) * b.length);
            return splice(b, g, 0, java.util.Arrays.copyOfRange(b, i, j));
        });
        return Arbitraries.oneOf(drop, cut, insert, badByte, swap, repeat);
    }

    private static byte[] splice(byte[] b, double at, int remove, byte[] insert) {
        int i = Math.min(b.length, (int) (at * b.length));
        int r = Math.min(remove, b.length - i);
        byte[] out = new byte[b.length - r + insert.length];
        System.arraycopy(b, 0, out, 0, i);
        System.arraycopy(insert, 0, out, i, insert.length);
        System.arraycopy(b, i + r, out, i + insert.length, b.length - i - r);
        return out;
    }
}
