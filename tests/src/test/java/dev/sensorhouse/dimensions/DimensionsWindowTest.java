package dev.sensorhouse.dimensions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.Simulations;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.testing.TableSnapshot;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code dimensions --from/--to}: the registry files of one window, read before or not, as an Airflow
 * task for one interval passes them; a rerun of the window stores nothing new.
 */
class DimensionsWindowTest extends SparkTestBase {
    private static final Instant H0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant H1 = Instant.parse("2026-01-01T01:00:00Z");
    private static final Instant H2 = Instant.parse("2026-01-01T02:00:00Z");

    private static RegistryFile cdc(String path, Instant hour) {
        return new RegistryFile(
                path, "file:/l/" + path, RegistryFile.Source.CDC, null, RegistryFile.Format.JSON_LINES, hour, 10);
    }

    private static RegistryFile snapshot(String path, Instant day) {
        return new RegistryFile(
                path, "file:/l/" + path, RegistryFile.Source.SNAPSHOT, Entity.DEVICE, RegistryFile.Format.CSV, day, 10);
    }

    private static DimensionsConfig window(Instant from, Instant to) {
        return new DimensionsConfig(
                "/l", Optional.of("/l/s"), Optional.of("/l/c"), NullRule.KEEP, Optional.of(from), Optional.of(to));
    }

    private final RegistryFile snap0 = snapshot("s/devices/2026-01-01.csv", H0);
    private final RegistryFile cdc0 = cdc("c/hour=00/a.json", H0);
    private final RegistryFile cdc1 = cdc("c/hour=01/a.json", H1);
    private final RegistryFile cdc2 = cdc("c/hour=02/a.json", H2);
    private final List<RegistryFile> listed = List.of(cdc2, cdc1, cdc0, snap0);
    private final Set<String> done = Set.of(snap0.path(), cdc0.path());

    @Test
    void incrementalReadsTheFilesNoRunHasRead() {
        DimensionsJob.Selection s = DimensionsJob.files(
                listed, done, new DimensionsConfig("/l", Optional.of("/l/s"), Optional.of("/l/c"), NullRule.KEEP));
        assertThat(s.pending()).containsExactly(cdc1, cdc2);
        assertThat(s.applied()).containsExactlyInAnyOrder(snap0, cdc0);
    }

    @Test
    void aWindowReadsItsFilesWhetherReadBeforeOrNot() {
        DimensionsJob.Selection first = DimensionsJob.files(listed, done, window(H0, H1));
        assertThat(first.pending()).containsExactlyInAnyOrder(snap0, cdc0);
        assertThat(first.applied()).isEmpty();

        DimensionsJob.Selection second = DimensionsJob.files(listed, done, window(H1, H2));
        assertThat(second.pending()).containsExactly(cdc1);
        assertThat(second.applied()).containsExactlyInAnyOrder(snap0, cdc0);
    }

    @Test
    void aWindowNeedsBothEndsInOrder() {
        assertThatThrownBy(() -> new DimensionsConfig(
                        "/l", Optional.empty(), Optional.of("/l/c"), NullRule.KEEP, Optional.of(H0), Optional.empty()))
                .hasMessageContaining("--from and --to go together");
        assertThatThrownBy(() -> window(H1, H0)).hasMessageContaining("must be before --to");
        Cli.Outcome o = Cli.run("dimensions", "--lake", "/tmp", "--cdc", "/tmp", "--from", "2026-01-01T00:00:00Z");
        assertThat(o.code()).as(o.describe()).isEqualTo(2);
        assertThat(o.err()).contains("--from and --to go together");
    }

    @Test
    void rereadingAnHourOfCdcRecordsAWindowRunAndChangesNoTable() throws Exception {
        spark();
        Path lake = lakeDir();
        Simulations.simulate(
                lake,
                "2026-01-01T00:00:00Z",
                5,
                "--devices",
                "20",
                "--duration",
                "3h",
                "--interval",
                "10m",
                "--faults",
                "none");
        String cdc = lake.resolve("raw/registry_cdc").toString();
        Cli.succeed("dimensions", "--lake", lake.toString(), "--cdc", cdc);
        List<String> tables = List.of("dims/device", "dims/location", "dims/registry_changes");
        List<TableSnapshot> before = tables.stream()
                .map(t -> TableSnapshot.ofTable(spark(), lake, t))
                .toList();

        List<RegistryFile> files = RegistryFile.cdc(new org.apache.hadoop.conf.Configuration(), lake.toString(), cdc);
        Instant hour = files.get(files.size() / 2).effectiveAt();
        Instant next = hour.plusSeconds(3600);
        Cli.succeed(
                "dimensions",
                "--lake",
                lake.toString(),
                "--cdc",
                cdc,
                "--from",
                hour.toString(),
                "--to",
                next.toString());

        for (int i = 0; i < tables.size(); i++) {
            TableSnapshot.ofTable(spark(), lake, tables.get(i)).assertSameRowsAs(before.get(i));
        }
        List<JobRun> runs = Lake.at(spark(), lake.toString()).jobRuns().succeeded(DimensionsJob.JOB);
        JobRun last = runs.get(runs.size() - 1);
        assertThat(last.mode()).isEqualTo("window");
        assertThat(last.windowStart()).contains(hour);
        assertThat(last.windowEnd()).contains(next);
        List<String> hourFiles = files.stream()
                .filter(f -> f.effectiveAt().equals(hour))
                .map(RegistryFile::path)
                .toList();
        assertThat(last.inputFiles()).hasSizeLessThan(files.size());
        assertThat(last.inputFiles()).containsExactlyInAnyOrderElementsOf(hourFiles);
    }
}
