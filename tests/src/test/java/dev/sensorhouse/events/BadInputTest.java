package dev.sensorhouse.events;

import static dev.sensorhouse.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.quarantine.ReasonCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the validator makes of the inputs real feeds send: odd bytes, odd JSON, odd units and times. */
class BadInputTest {
    private static final long HOUR_0 = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000L;
    private final RawEventValidator validator = new RawEventValidator(MetricCatalog.defaults(), EventLimits.DEFAULTS);

    /** A JSON token written as is (the builder quotes strings). */
    private record Literal(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private ValidatedRecord check(String record) {
        return validator.validate(record, HOUR_0);
    }

    private ValidatedRecord check(byte[] record) {
        return validator.validate(record, 0, record.length, HOUR_0);
    }

    private static ReasonCode onlyReason(ValidatedRecord v) {
        assertThat(v.rejected()).isTrue();
        assertThat(v.rejects()).hasSize(1);
        return v.rejects().get(0).reason();
    }

    private static byte[] bytes(String before, int[] raw, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        for (int b : raw) {
            out.write(b);
        }
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void bytesThatAreNotUtf8AreInvalidEncodingSoTwoIdsNeverMerge() {
        String tail = "\",\"device_id\":\"d1\",\"ts\":\"2026-01-01T00:00:05Z\",\"metrics\":{\"light\":1}}";
        ValidatedRecord fe = check(bytes("{\"event_id\":\"u-", new int[] {0xFE}, tail));
        ValidatedRecord ff = check(bytes("{\"event_id\":\"u-", new int[] {0xFF}, tail));
        assertThat(onlyReason(fe)).isEqualTo(ReasonCode.INVALID_ENCODING);
        assertThat(onlyReason(ff)).isEqualTo(ReasonCode.INVALID_ENCODING);
        assertThat(fe.rejects().get(0).detail()).contains("0xFE at offset 15");
        for (int[] bad : List.of(
                new int[] {0xC0, 0xAF}, // overlong '/'
                new int[] {0xED, 0xA0, 0x80}, // an encoded UTF-16 surrogate
                new int[] {0xF4, 0x90, 0x80, 0x80}, // past U+10FFFF
                new int[] {0xE2, 0x82})) { // cut short
            assertThat(onlyReason(check(bytes("{\"event_id\":\"u-", bad, tail))))
                    .isEqualTo(ReasonCode.INVALID_ENCODING);
        }
        assertThat(check(bytes("{\"event_id\":\"u-", new int[] {0xE2, 0x82, 0xAC}, tail))
                        .rejected())
                .as("a valid euro sign")
                .isFalse();
    }

    @Test
    void aLoneSurrogateEscapeInAKeptTextIsInvalidEncoding() {
        assertThat(onlyReason(check(event("x")
                        .raw("event_id", "\"u-\\ud800\"")
                        .metric("light", 1)
                        .json())))
                .isEqualTo(ReasonCode.INVALID_ENCODING);
        assertThat(check(event("x")
                                .raw("event_id", "\"u-\\ud83d\\ude00\"")
                                .metric("light", 1)
                                .json())
                        .rejected())
                .as("a surrogate pair is one character")
                .isFalse();
    }

    @Test
    void aRepeatedKeyIsDuplicateKeyWhereverTheContractReadsIt() {
        String readings = "\"device_id\":\"d1\",\"ts\":\"2026-01-01T00:00:05Z\",";
        ValidatedRecord metrics = check("{\"event_id\":\"e1\"," + readings
                + "\"metrics\":{\"temperature\":21.5},\"metrics\":{\"humidity\":55}}");
        assertThat(onlyReason(metrics)).isEqualTo(ReasonCode.DUPLICATE_KEY);
        assertThat(metrics.rejects().get(0).detail()).contains("\"metrics\"");
        assertThat(onlyReason(
                        check("{\"event_id\":\"e1\",\"event_id\":\"e2\"," + readings + "\"metrics\":{\"light\":1}}")))
                .isEqualTo(ReasonCode.DUPLICATE_KEY);
        assertThat(onlyReason(check("{\"event_id\":\"e1\"," + readings + "\"metrics\":{\"light\":1,\"light\":2}}")))
                .isEqualTo(ReasonCode.DUPLICATE_KEY);
        assertThat(onlyReason(check(event("e1")
                        .metric("light", 1)
                        .raw("units", "{\"light\":\"lux\",\"light\":\"klux\"}")
                        .json())))
                .isEqualTo(ReasonCode.DUPLICATE_KEY);
        assertThat(onlyReason(check(event("e1")
                        .metric("light", 1)
                        .raw("location", "{\"lat\":1,\"lon\":2,\"lat\":3}")
                        .json())))
                .isEqualTo(ReasonCode.DUPLICATE_KEY);
        assertThat(check(event("e1")
                                .metric("light", 1)
                                .raw("extra", "{\"a\":1,\"a\":2}")
                                .json())
                        .rejected())
                .as("keys repeated inside a field the contract skips change nothing it keeps")
                .isFalse();
    }

    @Test
    void nanAndInfinityAreNoJsonNumbersAndOverflowingNumbersAreOutOfRange() {
        for (String bad : List.of("NaN", "Infinity", "-Infinity")) {
            ValidatedRecord v =
                    check(event("e1").metric("temperature", new Literal(bad)).json());
            assertThat(onlyReason(v)).as(bad).isEqualTo(ReasonCode.MALFORMED_JSON);
            assertThat(v.rejects().get(0).detail()).doesNotContain("enable").contains("NaN and Infinity");
        }
        ValidatedRecord huge = check(event("e1")
                .metric("temperature", new Literal("1e999"))
                .metric("humidity", 55)
                .json());
        assertThat(huge.rejected()).isFalse();
        assertThat(huge.readings()).containsExactly(new ValidatedRecord.Reading("humidity", 55.0, "percent"));
        assertThat(huge.rejects()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(ReasonCode.OUT_OF_RANGE);
            assertThat(r.detail()).contains("1e999");
        });
        assertThat(onlyReason(check(
                        event("e1").metric("light", 1).raw("battery_v", "1e999").json())))
                .isEqualTo(ReasonCode.INVALID_TYPE);
    }

    @Test
    void deepNestingIsMalformedShallowExtraFieldsAreSkipped() {
        String deep = "[".repeat(200) + "]".repeat(200);
        ValidatedRecord v =
                check(event("e1").metric("light", 1).raw("extra", deep).json());
        assertThat(onlyReason(v)).isEqualTo(ReasonCode.MALFORMED_JSON);
        assertThat(v.rejects().get(0).detail()).contains("nesting");
        String shallow = "[".repeat(50) + "]".repeat(50);
        assertThat(check(event("e1").metric("light", 1).raw("extra", shallow).json())
                        .rejected())
                .isFalse();
    }

    @Test
    void aByteOrderMarkAndLineEndBytesAroundTheObjectAreIgnored() {
        String json = event("e1").metric("light", 1).json();
        assertThat(check("\uFEFF" + json).rejected()).isFalse();
        assertThat(check(json + "\r").rejected()).isFalse();
        assertThat(check("  " + json + " \t").rejected()).isFalse();
    }

    @Test
    void aNulByteIsMalformedAndNeverTakenForUtf16() {
        assertThat(onlyReason(check(bytes("{", new int[] {0}, "\"event_id\":\"e1\"}"))))
                .isEqualTo(ReasonCode.MALFORMED_JSON);
        assertThat(onlyReason(check(bytes(event("e1").metric("light", 1).json(), new int[] {0}, ""))))
                .isEqualTo(ReasonCode.MALFORMED_JSON);
    }

    @Test
    void aSpaceForTheTAndLowerCaseLettersGiveTheSameInstantAZonelessTimeIsRejected() {
        long t = check(event("a").at("2026-01-01T00:30:00Z").metric("light", 1).json())
                .eventTsMicros();
        assertThat(check(event("b")
                                .at("2026-01-01 00:30:00Z")
                                .metric("light", 1)
                                .json())
                        .eventTsMicros())
                .isEqualTo(t);
        assertThat(check(event("c")
                                .at("2026-01-01 02:30:00+02:00")
                                .metric("light", 1)
                                .json())
                        .eventTsMicros())
                .isEqualTo(t);
        assertThat(check(event("d")
                                .at("2026-01-01t00:30:00z")
                                .metric("light", 1)
                                .json())
                        .eventTsMicros())
                .isEqualTo(t);
        for (String local : List.of("2026-01-01T00:30:00", "2026-01-01 00:30:00")) {
            ValidatedRecord v = check(event("e").at(local).metric("light", 1).json());
            assertThat(onlyReason(v)).isEqualTo(ReasonCode.INVALID_TIMESTAMP);
            assertThat(v.rejects().get(0).detail()).contains("no zone offset");
        }
    }

    @Test
    void epochSecondsAreRecognisedAndMicrosecondsAreNamedInTheReason() {
        Instant at = Instant.parse("2026-01-01T00:30:00Z");
        long millis = check(event("a")
                        .atEpochMillis(at.toEpochMilli())
                        .metric("light", 1)
                        .json())
                .eventTsMicros();
        long seconds = check(event("b")
                        .atEpochMillis(at.getEpochSecond())
                        .metric("light", 1)
                        .json())
                .eventTsMicros();
        assertThat(seconds).isEqualTo(millis).isEqualTo(at.toEpochMilli() * 1000);
        ValidatedRecord micros = check(event("c")
                .atEpochMillis(at.toEpochMilli() * 1000)
                .metric("light", 1)
                .json());
        assertThat(onlyReason(micros)).isEqualTo(ReasonCode.INVALID_TIMESTAMP);
        assertThat(micros.rejects().get(0).detail()).contains("epoch microseconds or nanoseconds?");
    }

    @Test
    void unitsMatchTheirAliasesInAnyCase() {
        Map<String, Double> fahrenheit =
                Map.of("F", 122.0, "°F", 122.0, "degF", 122.0, "[degF]", 122.0, "Fahrenheit", 122.0);
        fahrenheit.forEach((unit, value) ->
                assertThat(reading("temperature", value, unit)).as(unit).isCloseTo(50.0, within(1e-9)));
        for (String unit : List.of("C", "°C", "degC", "Cel", "Celsius", " celsius ")) {
            assertThat(reading("temperature", 21.5, unit)).as(unit).isEqualTo(21.5);
        }
        assertThat(reading("temperature", 294.65, "K")).isCloseTo(21.5, within(1e-9));
        assertThat(reading("humidity", 55, "%RH")).isEqualTo(55.0);
        assertThat(reading("humidity", 55, "%")).isEqualTo(55.0);
        assertThat(reading("battery", 3700, "mV")).isCloseTo(3.7, within(1e-9));
        assertThat(reading("battery", 3.7, "V")).isEqualTo(3.7);
        assertThat(reading("speed", 10, "m/s")).isCloseTo(36.0, within(1e-9));
        assertThat(reading("speed", 36, "km/h")).isEqualTo(36.0);
        assertThat(reading("speed", 10, "MPH")).isCloseTo(16.09344, within(1e-9));
        ValidatedRecord furlongs =
                check(event("e1").metric("light", 1).unit("light", "furlongs").json());
        assertThat(onlyReason(furlongs)).isEqualTo(ReasonCode.INVALID_UNIT);
        assertThat(furlongs.rejects().get(0).detail()).contains("aliases");
    }

    private double reading(String metric, double value, String unit) {
        ValidatedRecord v =
                check(event("e1").metric(metric, value).unit(metric, unit).json());
        assertThat(v.rejected()).as("%s %s: %s", metric, unit, v.rejects()).isFalse();
        return v.readings().get(0).value();
    }

    @Test
    void theCatalogRejectsTwoSpellingsThatMatchButConvertDifferently() {
        String catalog = "{\"metrics\":{\"x\":{\"unit\":\"a\",\"min\":0,\"max\":1,"
                + "\"units\":{\"a\":{},\"b\":{\"scale\":2,\"aliases\":[\"A\"]}}}}}";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetricCatalog.parse(catalog, "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"A\"")
                .hasMessageContaining("converts differently");
    }

    @Test
    void anOversizedRecordIsJudgedByItsFullSizeEvenWhenOnlyItsStartWasKept() {
        byte[] start = event("e1").metric("light", 1).json().getBytes(StandardCharsets.UTF_8);
        ValidatedRecord v = validator.validate(start, 0, start.length, 10_000_000L, HOUR_0);
        assertThat(onlyReason(v)).isEqualTo(ReasonCode.OVERSIZED_RECORD);
        assertThat(v.rejects().get(0).detail()).contains("10,000,000 bytes");
    }
}
