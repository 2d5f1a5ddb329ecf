package dev.sensorhouse.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.runtime.Durations;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SimulateConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        SimulateConfig c = SimulateConfig.defaults("lake");

        assertThat(c.lake()).isEqualTo("lake");
        assertThat(c.devices()).isEqualTo(200);
        assertThat(c.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(c.duration()).isEqualTo(Duration.ofDays(1));
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.profile()).isEqualTo(SimulateConfig.Profile.AGRICULTURE);
        assertThat(c.faults()).isEqualTo(SimulateConfig.FaultLevel.DEFAULT);
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.gzip()).isFalse();
        assertThat(c.filesPerHour()).isEqualTo(1);
        assertThat(c.registry()).isTrue();
        assertThat(c.withoutRegistry().registry()).isFalse();
    }

    @Test
    void invalidOptionsAreRejectedWithTheOptionNameAndTheBadValue() {
        SimulateConfig c = SimulateConfig.defaults("lake");

        assertThatThrownBy(() -> c.withDevices(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--devices must be at least 1, got 0");
        assertThatThrownBy(() -> c.withFilesPerHour(0))
                .hasMessageStartingWith("--files-per-hour")
                .hasMessageEndingWith("got 0");
        assertThatThrownBy(() -> c.withInterval(Duration.ZERO))
                .hasMessageStartingWith("--interval must be at least 1 millisecond");
        assertThatThrownBy(() -> c.withInterval(Duration.ofNanos(1_500_000)))
                .hasMessageStartingWith("--interval must be a whole number of milliseconds");
        assertThatThrownBy(() -> c.withDuration(Duration.ofHours(-1)))
                .hasMessageStartingWith("--duration must be positive")
                .hasMessageContaining("PT-1H");
        assertThatThrownBy(() -> c.withLake(" ")).hasMessageStartingWith("--lake");
        assertThatThrownBy(() -> c.withStart(Instant.EPOCH))
                .hasMessageStartingWith("--start must be between")
                .hasMessageEndingWith("got 1970-01-01T00:00:00Z");
        assertThatThrownBy(() -> c.withProfile(null))
                .hasMessageStartingWith("--profile must be one of agriculture, vehicle");
        assertThatThrownBy(() -> c.withFaults(null))
                .hasMessageStartingWith("--faults must be one of none, default, heavy");
    }

    @Test
    void profileAndFaultLevelParseCaseInsensitivelyAndNameTheOptionWhenWrong() {
        assertThat(SimulateConfig.Profile.of("Vehicle")).isEqualTo(SimulateConfig.Profile.VEHICLE);
        assertThat(SimulateConfig.FaultLevel.of("heavy")).isEqualTo(SimulateConfig.FaultLevel.HEAVY);
        assertThatThrownBy(() -> SimulateConfig.Profile.of("car"))
                .hasMessage("--profile must be one of agriculture, vehicle, got 'car'");
        assertThatThrownBy(() -> SimulateConfig.FaultLevel.of("some"))
                .hasMessage("--faults must be one of none, default, heavy, got 'some'");
    }

    @ParameterizedTest
    @CsvSource({
        "5s, PT5S",
        "43200ms, PT43.2S",
        "43.2s, PT43.2S",
        "15m, PT15M",
        "2h, PT2H",
        "1.5h, PT1H30M",
        "1d, PT24H",
        "PT5S, PT5S",
        "pt1m, PT1M",
        "P1D, PT24H",
        "PT0.25S, PT0.25S"
    })
    void parseDurationAcceptsUnitSuffixesAndIso8601(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5x", "-5s", "s", "5 s", "1.2.3s", "PT", "five seconds", "0.0000000001s"})
    void parseDurationRejectsOtherTextNamingItAndTheAcceptedForms(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("43200ms")
                .hasMessageContaining("PT5S");
    }

    @Test
    void parseDurationRejectsEmptyText() {
        assertThatThrownBy(() -> Durations.parse(" "))
                .hasMessageContaining("empty")
                .hasMessageContaining("PT5S");
    }
}
