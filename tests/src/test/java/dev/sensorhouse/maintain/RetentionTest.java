package dev.sensorhouse.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.RawFile;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionTest {
    private static final Instant DAY1 = Instant.parse("2026-01-01T00:00:00Z");

    private static RawFile file(String name, Instant hour) {
        return new RawFile("raw/sensor_events/" + name, hour, 100);
    }

    private static JobRun cleanse(JobRun.Status status, RawFile... files) {
        return new JobRun(
                "cleanse-1",
                1,
                "cleanse",
                "window",
                Optional.empty(),
                Optional.empty(),
                status,
                DAY1,
                DAY1,
                Optional.empty(),
                Map.of(),
                java.util.Arrays.stream(files).map(RawFile::path).toList(),
                Map.of(),
                Optional.empty(),
                "");
    }

    private final RawFile day1 = file("a", DAY1);
    private final RawFile day2 = file("b", DAY1.plus(Duration.ofDays(1)));
    private final RawFile day3 = file("c", DAY1.plus(Duration.ofDays(2)).plus(Duration.ofHours(5)));
    private final RawFile uncleansed = file("d", DAY1.minus(Duration.ofDays(30)));

    @Test
    void onlyFilesASuccessfulCleanseCoveredCountAsCleansed() {
        List<JobRun> history =
                List.of(cleanse(JobRun.Status.SUCCEEDED, day1, day3), cleanse(JobRun.Status.FAILED, day2, uncleansed));
        assertThat(Retention.cleansed(List.of(uncleansed, day3, day2, day1), history, "cleanse"))
                .containsExactly(day1, day3);
    }

    @Test
    void rawFilesExpireByArrivalAgeBeforeTheNewestCleansedHourNotTheWallClock() {
        List<RawFile> cleansed = List.of(day1, day2, day3);
        assertThat(Retention.reference(cleansed)).contains(day3.arrivalHour());
        // day3 is 2 days 5 hours after day1: a 1-day retention drops day1 (ends 53 h before) and day2 (29 h)
        assertThat(Retention.expiredRawFiles(cleansed, Duration.ofDays(1))).containsExactly(day1, day2);
        assertThat(Retention.expiredRawFiles(cleansed, Duration.ofHours(52))).containsExactly(day1);
        assertThat(Retention.expiredRawFiles(cleansed, Duration.ofHours(53))).isEmpty();
        assertThat(Retention.expiredRawFiles(List.of(), Duration.ZERO)).isEmpty();
    }

    @Test
    void quarantineDatesExpireWhenTheirWholeDayIsOlderThanTheRetention() {
        List<LocalDate> dates = List.of(LocalDate.parse("2026-01-03"), LocalDate.parse("2026-01-01"));
        Optional<Instant> reference = Optional.of(Instant.parse("2026-01-03T05:00:00Z"));
        assertThat(Retention.expiredQuarantineDates(dates, reference, Duration.ofHours(29)))
                .containsExactly(LocalDate.parse("2026-01-01"));
        assertThat(Retention.expiredQuarantineDates(dates, reference, Duration.ofHours(30)))
                .isEmpty();
        assertThat(Retention.expiredQuarantineDates(dates, Optional.empty(), Duration.ZERO))
                .isEmpty();
    }

    @Test
    void vacuumRetentionBelowTheLongestReaderIsRefusedNamingTheOption() {
        assertThat(Retention.vacuum(Duration.ofDays(7), Duration.ofHours(24))).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> Retention.vacuum(Duration.ofHours(1), Duration.ofHours(24)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--vacuum-retention 1h")
                .hasMessageContaining("24h");
    }

    @Test
    void theConfigRefusesAVacuumRetentionBelowTheLongestReaderAndNegativeRetentions() {
        assertThat(MaintainConfig.defaults("/l").vacuumRetention()).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> new MaintainConfig("/l", Duration.ofHours(23), Optional.empty(), Optional.empty()))
                .hasMessageContaining("--vacuum-retention");
        assertThatThrownBy(() -> new MaintainConfig(
                        "/l", Duration.ofDays(1), Optional.of(Duration.ofDays(-1)), Optional.empty()))
                .hasMessageContaining("--raw-retention");
        assertThatThrownBy(() -> new MaintainConfig(
                        "/l", Duration.ofDays(1), Optional.empty(), Optional.of(Duration.ofDays(-1))))
                .hasMessageContaining("--quarantine-retention");
    }
}
