package dev.sensorhouse.dimensions;

import static dev.sensorhouse.testing.Registry.insert;
import static dev.sensorhouse.testing.Registry.modify;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.testing.Registry;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Registry files get the raw zone's treatment of damage: a truncated gzip file never fails the run, a
 * damaged CDC file's records before the damage are applied, a damaged snapshot is not applied at all
 * (it would end every device after the damage), and a damaged file is read again once replaced.
 */
class DamagedRegistryFilesTest extends SparkTestBase {
    private static final String HEADER = "device_id,model,firmware,customer,farm,location_id,installed_at,status";
    private static final String P1 = "farm-001-probe-0001,X2,%s,acme,farm-001,loc-a,2025-06-01T00:00:00Z,active";
    private static final String P2 = "farm-001-probe-0002,X2,1.0,acme,farm-001,loc-a,2025-06-01T00:00:00Z,active";

    private JobResult<DimensionsCounts> run(Path lake, Optional<String> metadata, Optional<String> cdc) {
        return new DimensionsJob(
                        Lake.at(spark(), lake.toString()),
                        new DimensionsConfig(lake.toString(), metadata, cdc, NullRule.KEEP),
                        "test")
                .run();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** {@code whole} as a complete gzip member, then a second member cut in the middle of one long line. */
    private static byte[] truncatedAfter(String whole) throws IOException {
        StringBuilder noise = new StringBuilder();
        Random random = new Random(5);
        while (noise.length() < 100_000) {
            noise.append(Long.toHexString(random.nextLong()));
        }
        byte[] second = gzip(noise.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(gzip(whole));
        out.writeBytes(Arrays.copyOf(second, second.length / 2));
        return out.toByteArray();
    }

    private List<String> currentFirmware(Path lake) {
        return Lake.at(spark(), lake.toString())
                .devices()
                .read()
                .filter("is_current")
                .orderBy("device_id")
                .collectAsList()
                .stream()
                .map(r -> r.<String>getAs("device_id") + " " + r.<String>getAs("firmware"))
                .toList();
    }

    private List<Row> unreadable(Path lake) {
        return Lake.at(spark(), lake.toString())
                .quarantineEvents()
                .read()
                .filter("reason_code = 'unreadable_file'")
                .collectAsList();
    }

    @Test
    void aDamagedSnapshotIsNotAppliedUntilItIsReplacedWhole() throws Exception {
        Path lake = lakeDir();
        Path meta = tmp.resolve("meta");
        Registry.devices(meta, "2026-01-01", List.of(String.format(P1, "1.0"), P2));
        run(lake, Optional.of(meta.toString()), Optional.empty());

        String day2 = HEADER + "\n" + String.format(P1, "2.0") + "\n";
        Path damaged = meta.resolve("devices/2026-01-02.csv.gz");
        Files.write(damaged, truncatedAfter(day2));
        JobResult<DimensionsCounts> second = run(lake, Optional.of(meta.toString()), Optional.empty());

        assertThat(second.counts().recordsIn()).isEqualTo(1);
        assertThat(second.counts().recordsQuarantined()).isEqualTo(1);
        assertThat(currentFirmware(lake))
                .as("probe 2 is missing from the damaged snapshot but not ended")
                .containsExactly("farm-001-probe-0001 1.0", "farm-001-probe-0002 1.0");
        assertThat(unreadable(lake)).singleElement().satisfies(r -> {
            assertThat(r.<String>getAs("scope")).isEqualTo("file");
            assertThat(r.<Long>getAs("source_line")).isEqualTo(3L);
            assertThat(r.<String>getAs("reason_detail")).contains("not applied");
        });
        JobRun secondRow = Lake.at(spark(), lake.toString()).jobRuns().all().get(1);
        assertThat(secondRow.inputFiles())
                .as("a damaged file is not recorded as read")
                .isEmpty();

        Files.write(damaged, gzip(day2 + P2 + "\n"));
        run(lake, Optional.of(meta.toString()), Optional.empty());

        assertThat(currentFirmware(lake)).containsExactly("farm-001-probe-0001 2.0", "farm-001-probe-0002 1.0");
        assertThat(unreadable(lake)).isEmpty();
    }

    @Test
    void aDamagedCdcFileAppliesTheRecordsBeforeTheDamage() throws Exception {
        Path lake = lakeDir();
        Path cdc = tmp.resolve("cdc");
        Files.createDirectories(cdc);
        String d1 = "DEVICE#farm-001-probe-0001";
        String records = insert(d1, 100, "2026-01-01T00:00:00Z")
                        .s("firmware", "1.0")
                        .s("status", "active")
                        .placement("loc-a")
                        .json()
                + "\n"
                + modify(d1, 200, "2026-01-02T00:00:00Z").s("firmware", "2.0").json() + "\n";
        Files.write(cdc.resolve("a.json.gz"), truncatedAfter(records));

        JobResult<DimensionsCounts> r = run(lake, Optional.empty(), Optional.of(cdc.toString()));

        assertThat(r.counts().recordsIn()).isEqualTo(3);
        assertThat(r.counts().changesParsed()).isEqualTo(2);
        assertThat(r.counts().quarantinedByReason()).containsEntry("unreadable_file", 1L);
        assertThat(currentFirmware(lake)).containsExactly("farm-001-probe-0001 2.0");
        assertThat(unreadable(lake))
                .singleElement()
                .satisfies(row -> assertThat(row.<Long>getAs("source_line")).isEqualTo(3L));
    }
}
