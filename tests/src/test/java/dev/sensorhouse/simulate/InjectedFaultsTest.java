package dev.sensorhouse.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The report's counts agree with an independent scan of the written files: plain line counts,
 * Jackson parse failures, exact duplicate lines, and a reference cleanse ({@link ReferenceCleanse})
 * that applies the validation order and must find each injected fault under its own reason.
 */
class InjectedFaultsTest {
    @TempDir
    Path lake;

    private InjectionReport simulate(SimulateConfig.Profile profile, SimulateConfig.FaultLevel faults, int devices) {
        return new Simulator(SimulateConfig.defaults(lake.toString())
                        .withProfile(profile)
                        .withFaults(faults)
                        .withDevices(devices)
                        .withDuration(Duration.ofHours(4))
                        .withInterval(Duration.ofSeconds(10))
                        .withFilesPerHour(2))
                .run();
    }

    @ParameterizedTest
    @EnumSource(SimulateConfig.Profile.class)
    void reportCountsAgreeWithAnIndependentScanOfTheFiles(SimulateConfig.Profile profile) throws IOException {
        InjectionReport report = simulate(profile, SimulateConfig.FaultLevel.HEAVY, 16);
        List<SimulatedFiles.Line> lines = SimulatedFiles.lines(lake);

        // Plain counts.
        assertThat((long) lines.size())
                .isEqualTo(report.linesWritten())
                .isEqualTo(report.expected().linesIn());
        assertThat(SimulatedFiles.files(lake)).hasSize(report.filesWritten());
        long unparsable = lines.stream().filter(l -> !parses(l.text())).count();
        long oversized = lines.stream().filter(l -> l.bytes() > 65_536).count();
        assertThat(unparsable).as("lines Jackson cannot parse").isEqualTo(report.count(FaultKind.MALFORMED_JSON));
        assertThat(oversized).isEqualTo(report.count(FaultKind.OVERSIZED_RECORD));
        assertThat(lines)
                .filteredOn(l -> l.bytes() > 65_536)
                .allSatisfy(l -> assertThat(l.bytes()).isBetween(70_000, 101_000));
        Map<String, Integer> copies = new HashMap<>();
        lines.forEach(l -> copies.merge(l.text(), 1, Integer::sum));
        long extraCopies = copies.values().stream().mapToLong(n -> n - 1).sum();
        assertThat(extraCopies)
                .isEqualTo(report.count(FaultKind.DUPLICATE))
                .isEqualTo(report.expected().duplicates());
        assertThat(report.eventsGenerated()).isEqualTo(report.linesWritten() - report.count(FaultKind.DUPLICATE));

        // A reference cleanse finds every fault under its own reason and nothing else.
        ReferenceCleanse.Tally tally = ReferenceCleanse.run(lines);
        InjectionReport.Expected expected = report.expected();
        assertThat(tally.rowsByReason()).doesNotContainKey("no_good_reading");
        for (FaultKind kind : FaultKind.values()) {
            if (kind.quarantines()) {
                assertThat(tally.rowsByReason().getOrDefault(kind.code(), 0L))
                        .as(kind.code())
                        .isEqualTo(report.count(kind));
                assertThat(expected.quarantineRowsByReason()).containsEntry(kind.code(), report.count(kind));
            }
        }
        assertThat(tally.linesQuarantined()).isEqualTo(expected.linesQuarantined());
        assertThat(tally.eventsCleansed()).isEqualTo(expected.eventsCleansed());
        assertThat(tally.duplicates()).isEqualTo(expected.duplicates());
        assertThat(tally.readingsCleansed()).isEqualTo(expected.readingsCleansed());
        assertThat(tally.lateEvents()).isEqualTo(report.count(FaultKind.LATE));
        assertThat(tally.fahrenheitReadings()).isEqualTo(report.count(FaultKind.FAHRENHEIT));
        assertThat(expected.linesIn())
                .isEqualTo(expected.eventsCleansed() + expected.linesQuarantined() + expected.duplicates());

        // Heavy faults: every kind occurs, about 20 % of events in total.
        assertThat(report.faults().values()).allSatisfy(n -> assertThat(n).isPositive());
        assertThat((double) report.faultedEvents() / report.eventsGenerated()).isBetween(0.17, 0.23);
    }

    @Test
    void defaultFaultsHitAboutThreePercentOfEvents() {
        InjectionReport report = simulate(SimulateConfig.Profile.AGRICULTURE, SimulateConfig.FaultLevel.DEFAULT, 30);

        assertThat((double) report.faultedEvents() / report.eventsGenerated()).isBetween(0.025, 0.037);
        for (FaultKind kind : FaultKind.values()) {
            double rate = (double) report.count(kind) / report.eventsGenerated();
            assertThat(rate).as(kind.code()).isLessThan(0.006);
        }
    }

    @Test
    void noFaultsMeansEveryLineIsCleansedWithAllItsReadings() {
        InjectionReport report = simulate(SimulateConfig.Profile.VEHICLE, SimulateConfig.FaultLevel.NONE, 8);

        ReferenceCleanse.Tally tally = ReferenceCleanse.run(SimulatedFiles.lines(lake));
        assertThat(report.faultedEvents()).isZero();
        assertThat(tally.linesQuarantined()).isZero();
        assertThat(tally.duplicates()).isZero();
        assertThat(tally.rowsByReason()).isEmpty();
        assertThat(tally.eventsCleansed())
                .isEqualTo(report.eventsGenerated())
                .isEqualTo(report.expected().eventsCleansed());
        assertThat(tally.readingsCleansed())
                .isEqualTo(5 * report.eventsGenerated())
                .isEqualTo(report.expected().readingsCleansed());
    }

    private static boolean parses(String line) {
        try {
            ReferenceCleanse.JSON.readTree(line);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
