package dev.sensorhouse.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {
    private static final Pattern FILE =
            Pattern.compile("raw/sensor_events/year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/hour=(\\d{2})/"
                    + "sensorhouse-raw-1-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-00-00-"
                    + "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\.json(\\.gz)?");

    @TempDir
    Path tmp;

    private SimulateConfig small(Path lake) {
        return SimulateConfig.defaults(lake.toString())
                .withDevices(12)
                .withDuration(Duration.ofHours(3))
                .withInterval(Duration.ofSeconds(10));
    }

    @Test
    void sameSeedWritesByteIdenticalFiles() {
        new Simulator(small(tmp.resolve("a"))).run();
        new Simulator(small(tmp.resolve("b"))).run();

        Map<String, byte[]> a = contents(tmp.resolve("a"));
        Map<String, byte[]> b = contents(tmp.resolve("b"));
        assertThat(a).isNotEmpty();
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        a.forEach((file, bytes) -> assertThat(b.get(file)).as(file).isEqualTo(bytes));
    }

    @Test
    void sameSeedIsByteIdenticalForTheVehicleProfileAndSeveralFilesPerHourToo() {
        SimulateConfig config = small(tmp)
                .withProfile(SimulateConfig.Profile.VEHICLE)
                .withFilesPerHour(3)
                .withFaults(SimulateConfig.FaultLevel.HEAVY);
        new Simulator(config.withLake(tmp.resolve("a").toString())).run();
        new Simulator(config.withLake(tmp.resolve("b").toString())).run();

        Map<String, byte[]> a = contents(tmp.resolve("a"));
        Map<String, byte[]> b = contents(tmp.resolve("b"));
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        a.forEach((file, bytes) -> assertThat(b.get(file)).as(file).isEqualTo(bytes));
    }

    @Test
    void differentSeedWritesDifferentContent() {
        new Simulator(small(tmp.resolve("a"))).run();
        new Simulator(small(tmp.resolve("b")).withSeed(43)).run();

        Set<String> linesA = new HashSet<>();
        SimulatedFiles.lines(tmp.resolve("a")).forEach(l -> linesA.add(l.text()));
        List<SimulatedFiles.Line> linesB = SimulatedFiles.lines(tmp.resolve("b"));
        assertThat(linesB).isNotEmpty();
        assertThat(linesB).noneMatch(l -> linesA.contains(l.text()));
        assertThat(SimulatedFiles.files(tmp.resolve("a")))
                .doesNotContainAnyElementsOf(SimulatedFiles.files(tmp.resolve("b")));
    }

    @Test
    void filesFollowTheFirehoseLayoutPartitionedByArrivalHour() {
        InjectionReport report = new Simulator(small(tmp)).run();

        List<String> files = SimulatedFiles.files(tmp);
        assertThat(files).hasSize(report.filesWritten());
        for (String file : files) {
            Matcher m = FILE.matcher(file);
            assertThat(m.matches()).as(file).isTrue();
            for (int g = 1; g <= 4; g++) {
                assertThat(m.group(g + 4))
                        .as("file name time matches the partition of " + file)
                        .isEqualTo(m.group(g));
            }
        }
        // Events near an hour's end arrive in the next hour, so the hours written extend past the window.
        assertThat(report.arrivalFrom()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(report.arrivalTo()).isAfter(Instant.parse("2026-01-01T03:00:00Z"));
    }

    @Test
    void everyArrivalHourHasAtMostFilesPerHourFilesAndEachDeviceIsInOneOfThem() throws IOException {
        SimulateConfig config =
                small(tmp).withDevices(40).withFilesPerHour(3).withFaults(SimulateConfig.FaultLevel.NONE);
        new Simulator(config).run();

        Map<String, Set<String>> filesByFolder = new HashMap<>();
        Map<String, String> fileOfDeviceHour = new HashMap<>();
        for (SimulatedFiles.Line line : SimulatedFiles.lines(tmp)) {
            String folder = line.file().substring(0, line.file().lastIndexOf('/'));
            filesByFolder.computeIfAbsent(folder, f -> new HashSet<>()).add(line.file());
            String device =
                    ReferenceCleanse.JSON.readTree(line.text()).get("device_id").asText();
            String previous = fileOfDeviceHour.putIfAbsent(folder + " " + device, line.file());
            assertThat(previous == null || previous.equals(line.file()))
                    .as(device + " in one file of " + folder)
                    .isTrue();
        }
        assertThat(filesByFolder.values()).allSatisfy(f -> assertThat(f).hasSizeBetween(1, 3));
        assertThat(filesByFolder.values()).anySatisfy(f -> assertThat(f).hasSize(3));
    }

    @Test
    void lateEventsAndDelayedDuplicatesArriveInHoursAfterTheWindow() {
        InjectionReport report = new Simulator(small(tmp).withFaults(SimulateConfig.FaultLevel.HEAVY)).run();

        assertThat(report.count(FaultKind.LATE)).isPositive();
        assertThat(report.count(FaultKind.DUPLICATE)).isPositive();
        // The window ends at 03:00; late events arrive up to 72 h after their event time.
        assertThat(report.arrivalTo()).isAfter(Instant.parse("2026-01-01T06:00:00Z"));
        assertThat(SimulatedFiles.files(tmp)).anyMatch(f -> f.contains("/day=02/") || f.contains("/day=03/"));
    }

    @Test
    void gzipFilesDecompressToTheSameLinesAsPlainFiles() {
        new Simulator(small(tmp.resolve("plain"))).run();
        new Simulator(small(tmp.resolve("gzip")).withGzip()).run();

        List<String> plain = SimulatedFiles.files(tmp.resolve("plain"));
        List<String> gzip = SimulatedFiles.files(tmp.resolve("gzip"));
        assertThat(gzip).allMatch(f -> f.endsWith(".json.gz")).hasSameSizeAs(plain);
        assertThat(gzip)
                .containsExactlyElementsOf(plain.stream().map(f -> f + ".gz").toList());
        for (String file : plain) {
            assertThat(SimulatedFiles.content(tmp.resolve("gzip"), file + ".gz"))
                    .as(file)
                    .isEqualTo(SimulatedFiles.content(tmp.resolve("plain"), file));
        }
    }

    @Test
    void noTemporaryFilesRemainAndTheReportLiesOutsideTheEventFolder() throws IOException {
        InjectionReport report = new Simulator(small(tmp)).run();

        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith("_") || name.startsWith(".") || name.endsWith(".inprogress"));
        }
        Path file = tmp.resolve("raw/_simulator/simulate-20260101T0000-seed42.json");
        assertThat(file).exists();
        assertThat(Simulator.reportPath(report.config()))
                .isEqualTo("raw/_simulator/simulate-20260101T0000-seed42.json");
        InjectionReport read = InjectionReport.read(file.toString());
        assertThat(read.toJson()).isEqualTo(report.toJson()).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(read.expected()).isEqualTo(report.expected());
        assertThat(read.faults()).isEqualTo(report.faults());
    }

    @Test
    void aRerunReplacesItsOwnFiles() {
        new Simulator(small(tmp)).run();
        Map<String, byte[]> first = contents(tmp);
        new Simulator(small(tmp)).run();

        Map<String, byte[]> second = contents(tmp);
        assertThat(second.keySet()).containsExactlyElementsOf(first.keySet());
    }

    @Test
    void hadoopFileSystemOutputWritesTheSameFilesAsLocalOutput() throws IOException {
        new Simulator(small(tmp.resolve("local"))).run();
        Path viaHadoop = tmp.resolve("hadoop");
        try (LakeOutput out = new HadoopLakeOutput(viaHadoop.toUri().toString())) {
            new Simulator(small(viaHadoop), out).run();
        }

        Map<String, byte[]> local = contents(tmp.resolve("local"));
        Map<String, byte[]> hadoop = contents(viaHadoop);
        assertThat(hadoop.keySet()).containsExactlyElementsOf(local.keySet());
        local.forEach((file, bytes) -> assertThat(hadoop.get(file)).as(file).isEqualTo(bytes));
        try (Stream<Path> all = Files.walk(viaHadoop)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".crc") || name.startsWith("_") || name.startsWith("."));
        }
    }

    @Test
    void summaryListsEveryFaultKindWithItsExpectedOutcome() {
        InjectionReport report = new Simulator(small(tmp)).run();

        String summary = report.summary();
        for (FaultKind kind : FaultKind.values()) {
            assertThat(summary).contains(kind.code()).contains(kind.outcomeText());
        }
        assertThat(summary).contains("lines_in " + String.format(java.util.Locale.ROOT, "%,d", report.linesWritten()));
    }

    private static Map<String, byte[]> contents(Path lake) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String file : SimulatedFiles.files(lake)) {
            try {
                out.put(file, Files.readAllBytes(lake.resolve(file)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out;
    }
}
