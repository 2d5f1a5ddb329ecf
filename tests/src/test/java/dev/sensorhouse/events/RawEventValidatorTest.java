package dev.sensorhouse.events;

import static dev.sensorhouse.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.quarantine.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawEventValidatorTest {
    private static final long HOUR_0 = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000L;
    private final RawEventValidator validator = new RawEventValidator(MetricCatalog.defaults(), EventLimits.DEFAULTS);

    private ValidatedRecord check(String line) {
        return validator.validate(line, HOUR_0);
    }

    private static ReasonCode onlyReason(ValidatedRecord v) {
        assertThat(v.rejects()).hasSize(1);
        return v.rejects().get(0).reason();
    }

    @Test
    void goodEventBecomesOneReadingPerMetricInCanonicalUnits() {
        ValidatedRecord v = check(event("e1")
                .metric("temperature", 21.5)
                .metric("humidity", 0.5)
                .unit("humidity", "fraction")
                .json());
        assertThat(v.rejected()).isFalse();
        assertThat(v.rejects()).isEmpty();
        assertThat(v.readings())
                .containsExactly(
                        new ValidatedRecord.Reading("temperature", 21.5, "celsius"),
                        new ValidatedRecord.Reading("humidity", 50.0, "percent"));
        assertThat(v.eventTsMicros()).isEqualTo(HOUR_0 + 5_000_000L);
    }

    @Test
    void fahrenheitIsConvertedToCelsius() {
        ValidatedRecord v = check(event("e1")
                .metric("temperature", 122)
                .unit("temperature", "fahrenheit")
                .json());
        assertThat(v.readings().get(0).value()).isCloseTo(50.0, within(1e-9));
        assertThat(v.readings().get(0).unit()).isEqualTo("celsius");
        ValidatedRecord k = check(event("e2")
                .metric("temperature", 273.15)
                .unit("temperature", "kelvin")
                .json());
        assertThat(k.readings().get(0).value()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void epochMillisAndOffsetsGiveTheSameInstant() {
        long z = check(event("a").at("2026-01-01T00:30:00Z").metric("light", 1).json())
                .eventTsMicros();
        long offset = check(event("b")
                        .at("2026-01-01T02:30:00+02:00")
                        .metric("light", 1)
                        .json())
                .eventTsMicros();
        long negative = check(event("c")
                        .at("2025-12-31T19:30:00-05:00")
                        .metric("light", 1)
                        .json())
                .eventTsMicros();
        long millis = check(event("d")
                        .atEpochMillis(Instant.parse("2026-01-01T00:30:00Z").toEpochMilli())
                        .metric("light", 1)
                        .json())
                .eventTsMicros();
        long fraction = check(event("e")
                        .at("2026-01-01T00:30:00.123456Z")
                        .metric("light", 1)
                        .json())
                .eventTsMicros();
        long slowPath = check(event("f")
                        .at("2025-12-31T00:30:00.5+00:00")
                        .metric("light", 1)
                        .json())
                .eventTsMicros();
        assertThat(List.of(offset, negative, millis)).containsOnly(z);
        assertThat(fraction).isEqualTo(z + 123_456);
        assertThat(slowPath).isEqualTo(Instant.parse("2025-12-31T00:30:00.5Z").toEpochMilli() * 1000);
    }

    @Test
    void oversizedLineIsRejectedBeforeParsing() {
        String line = event("e1")
                .metric("light", 1)
                .raw("pad", "\"" + "x".repeat(70_000) + "\"")
                .json();
        assertThat(onlyReason(check(line))).isEqualTo(ReasonCode.OVERSIZED_RECORD);
    }

    @Test
    void brokenJsonIsMalformed() {
        assertThat(onlyReason(check("{\"event_id\":\"e1\",\"metrics\":{"))).isEqualTo(ReasonCode.MALFORMED_JSON);
        assertThat(onlyReason(check("[1,2,3]"))).isEqualTo(ReasonCode.MALFORMED_JSON);
        assertThat(onlyReason(check(""))).isEqualTo(ReasonCode.MALFORMED_JSON);
        assertThat(onlyReason(check(event("e1").metric("light", 1).json() + " trailing")))
                .isEqualTo(ReasonCode.MALFORMED_JSON);
    }

    @Test
    void eachRequiredFieldIsChecked() {
        for (String field : List.of("event_id", "device_id", "ts", "metrics")) {
            ValidatedRecord v =
                    check(event("e1").metric("light", 1).without(field).json());
            assertThat(onlyReason(v)).as(field).isEqualTo(ReasonCode.MISSING_FIELD);
            assertThat(v.rejects().get(0).detail()).contains(field);
        }
        assertThat(onlyReason(check(
                        event("e1").metric("light", 1).raw("device_id", "null").json())))
                .isEqualTo(ReasonCode.MISSING_FIELD);
    }

    @Test
    void wrongTypesAreInvalidType() {
        assertThat(onlyReason(
                        check(event("e1").metric("light", 1).raw("ts", "true").json())))
                .isEqualTo(ReasonCode.INVALID_TYPE);
        assertThat(onlyReason(check(event("e1").raw("metrics", "[1,2]").json())))
                .isEqualTo(ReasonCode.INVALID_TYPE);
        assertThat(onlyReason(
                        check(event("e1").metric("temperature", "\"21.5\"").json())))
                .isEqualTo(ReasonCode.INVALID_TYPE);
        assertThat(onlyReason(check(
                        event("e1").metric("light", 1).raw("device_id", "42").json())))
                .isEqualTo(ReasonCode.INVALID_TYPE);
        assertThat(onlyReason(
                        check(event("e1").metric("light", 1).raw("seq", "\"7\"").json())))
                .isEqualTo(ReasonCode.INVALID_TYPE);
        assertThat(onlyReason(check(event("").metric("light", 1).json()))).isEqualTo(ReasonCode.INVALID_TYPE);
        assertThat(onlyReason(check(event("e1").metric("light", null).json()))).isEqualTo(ReasonCode.INVALID_TYPE);
        ValidatedRecord v = check(event("e1").metric("temperature", "\"21.5\"").json());
        assertThat(v.rejects().get(0).detail())
                .startsWith("metrics.temperature must be a number or null, got a string");
    }

    @Test
    void deviceIdMustMatchThePattern() {
        for (String bad : List.of("-leading", "has space", "farm/1", "x".repeat(65))) {
            assertThat(onlyReason(
                            check(event("e1").device(bad).metric("light", 1).json())))
                    .as(bad)
                    .isEqualTo(ReasonCode.INVALID_DEVICE_ID);
        }
        assertThat(check(event("e1")
                                .device("fleet-01:truck_7.a")
                                .metric("light", 1)
                                .json())
                        .rejected())
                .isFalse();
    }

    @Test
    void unparsableTimesAreInvalidTimestamp() {
        for (String bad : List.of("yesterday", "2026-13-45T99:00:00Z", "2026-01-01T00:00:05", "2026-02-30T00:00:00Z")) {
            assertThat(onlyReason(check(event("e1").at(bad).metric("light", 1).json())))
                    .as(bad)
                    .isEqualTo(ReasonCode.INVALID_TIMESTAMP);
        }
        assertThat(onlyReason(
                        check(event("e1").raw("ts", "1.5").metric("light", 1).json())))
                .isEqualTo(ReasonCode.INVALID_TIMESTAMP);
        assertThat(onlyReason(
                        check(event("e1").raw("ts", "-5").metric("light", 1).json())))
                .isEqualTo(ReasonCode.INVALID_TIMESTAMP);
    }

    @Test
    void futureAndTooLateAreMeasuredFromTheArrivalHour() {
        // arrival hour 00:00-01:00, skew 5 minutes: 01:05:00 is the last accepted instant
        assertThat(check(event("e1")
                                .at("2026-01-01T01:05:00Z")
                                .metric("light", 1)
                                .json())
                        .rejected())
                .isFalse();
        assertThat(onlyReason(check(event("e1")
                        .at("2026-01-01T01:05:01Z")
                        .metric("light", 1)
                        .json())))
                .isEqualTo(ReasonCode.FUTURE_TIMESTAMP);
        // lateness 7 days: 2025-12-25T00:00Z is the first accepted instant
        assertThat(check(event("e1")
                                .at("2025-12-25T00:00:00Z")
                                .metric("light", 1)
                                .json())
                        .rejected())
                .isFalse();
        assertThat(onlyReason(check(event("e1")
                        .at("2025-12-24T23:59:59Z")
                        .metric("light", 1)
                        .json())))
                .isEqualTo(ReasonCode.TOO_LATE);
    }

    @Test
    void limitsAreConfigurable() {
        RawEventValidator strict = new RawEventValidator(
                MetricCatalog.defaults(), new EventLimits(200, Duration.ZERO, Duration.ofHours(1)));
        assertThat(onlyReason(strict.validate(
                        event("e1")
                                .at("2026-01-01T01:00:01Z")
                                .metric("light", 1)
                                .json(),
                        HOUR_0)))
                .isEqualTo(ReasonCode.FUTURE_TIMESTAMP);
        assertThat(onlyReason(strict.validate(
                        event("e1")
                                .at("2025-12-31T22:59:59Z")
                                .metric("light", 1)
                                .json(),
                        HOUR_0)))
                .isEqualTo(ReasonCode.TOO_LATE);
        assertThat(onlyReason(strict.validate(
                        event("e1")
                                .metric("light", 1)
                                .raw("firmware", "\"" + "1".repeat(200) + "\"")
                                .json(),
                        HOUR_0)))
                .isEqualTo(ReasonCode.OVERSIZED_RECORD);
    }

    @Test
    void readingLevelFaultsKeepTheGoodReadings() {
        ValidatedRecord v = check(event("e1")
                .metric("temperature", 999)
                .metric("humidity", 40)
                .metric("co2_ppmx", 400)
                .metric("light", 10)
                .unit("light", "furlongs")
                .metric("battery", null)
                .json());
        assertThat(v.rejected()).isFalse();
        assertThat(v.readings()).containsExactly(new ValidatedRecord.Reading("humidity", 40.0, "percent"));
        assertThat(v.rejects())
                .extracting(ValidatedRecord.Reject::reason, ValidatedRecord.Reject::metric)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ReasonCode.OUT_OF_RANGE, "temperature"),
                        org.assertj.core.groups.Tuple.tuple(ReasonCode.UNKNOWN_METRIC, "co2_ppmx"),
                        org.assertj.core.groups.Tuple.tuple(ReasonCode.INVALID_UNIT, "light"));
        assertThat(v.rejects().get(0).detail()).isEqualTo("temperature = 999.0 celsius is outside [-50.0, 70.0]");
    }

    @Test
    void rangeIsCheckedAfterConversion() {
        // 150 F = 65.6 C is in range; 170 F = 76.7 C is not
        assertThat(check(event("e1")
                                .metric("temperature", 150)
                                .unit("temperature", "f")
                                .json())
                        .readings())
                .hasSize(1);
        assertThat(onlyReason(check(event("e1")
                        .metric("temperature", 170)
                        .unit("temperature", "f")
                        .json())))
                .isEqualTo(ReasonCode.OUT_OF_RANGE);
    }

    @Test
    void anEventWithNoGoodReadingIsRejectedAsALine() {
        ValidatedRecord v = check(
                event("e1").metric("temperature", 999).metric("vibration_z", 1).json());
        assertThat(v.rejected()).isTrue();
        assertThat(v.rejects())
                .extracting(ValidatedRecord.Reject::reason)
                .containsExactly(ReasonCode.OUT_OF_RANGE, ReasonCode.UNKNOWN_METRIC);
    }

    @Test
    void optionalFieldsAreCarried() {
        ValidatedRecord v = check(event("e1")
                .metric("light", 1)
                .raw("location", "{\"lat\":52.1,\"lon\":5.2}")
                .raw("battery_v", "3.9")
                .raw("firmware", "\"2.4.1\"")
                .raw("seq", "17")
                .json());
        assertThat(v.lat()).isEqualTo(52.1);
        assertThat(v.lon()).isEqualTo(5.2);
        assertThat(v.batteryV()).isEqualTo(3.9);
        assertThat(v.firmware()).isEqualTo("2.4.1");
        assertThat(v.seq()).isEqualTo(17L);
        assertThat(onlyReason(check(event("e1")
                        .metric("light", 1)
                        .raw("location", "{\"lat\":91,\"lon\":5}")
                        .json())))
                .isEqualTo(ReasonCode.INVALID_TYPE);
    }
}
