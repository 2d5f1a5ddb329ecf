package dev.sensorhouse.dimensions;

import static dev.sensorhouse.testing.Registry.insert;
import static dev.sensorhouse.testing.Registry.modify;
import static dev.sensorhouse.testing.Registry.remove;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.runtime.JobFailedException;
import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.testing.Registry;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dimensions job on hand-written registry files: SCD2 from CDC and snapshots, quarantine, reruns. */
class DimensionsJobTest extends SparkTestBase {
    private static final String D1 = "DEVICE#farm-001-probe-0001";

    private JobResult<DimensionsCounts> cdc(Path lake, Path cdc) {
        return new DimensionsJob(
                        Lake.at(spark(), lake.toString()),
                        new DimensionsConfig(
                                lake.toString(), Optional.empty(), Optional.of(cdc.toString()), NullRule.KEEP),
                        "test")
                .run();
    }

    private JobResult<DimensionsCounts> snapshots(Path lake, Path metadata) {
        return new DimensionsJob(
                        Lake.at(spark(), lake.toString()),
                        new DimensionsConfig(
                                lake.toString(), Optional.of(metadata.toString()), Optional.empty(), NullRule.KEEP),
                        "test")
                .run();
    }

    /** Device versions as "valid_from..valid_to firmware location_id status current". */
    private List<String> devices(Path lake) {
        return Lake.at(spark(), lake.toString())
                .devices()
                .read()
                .orderBy("device_id", "valid_from")
                .collectAsList()
                .stream()
                .map(r ->
                        r.getString(1) + " " + r.<Timestamp>getAs("valid_from").toInstant() + ".."
                                + r.<Timestamp>getAs("valid_to").toInstant() + " " + r.getAs("firmware") + " "
                                + r.getAs("location_id") + " " + r.getAs("status")
                                + (r.<Boolean>getAs("is_current") ? " current" : ""))
                .toList();
    }

    @Test
    void cdcBuildsHistoryAndALateOlderChangeLandsInItsPlace() throws Exception {
        Path lake = lakeDir();
        Path cdc = tmp.resolve("cdc");
        Registry.write(
                cdc,
                "a.json",
                List.of(
                        insert(D1, 100, "2026-01-01T00:00:00Z")
                                .s("firmware", "1.0")
                                .s("status", "active")
                                .placement("loc-a")
                                .json(),
                        modify(D1, 300, "2026-01-03T00:00:00Z")
                                .s("firmware", "2.0")
                                .json(),
                        "{not json",
                        insert("SENSOR#x", 101, "2026-01-01T00:00:00Z").json()));
        JobResult<DimensionsCounts> first = cdc(lake, cdc);
        assertThat(first.counts().recordsIn()).isEqualTo(4);
        assertThat(first.counts().recordsQuarantined()).isEqualTo(2);
        assertThat(first.counts().quarantinedByReason())
                .containsEntry("malformed_json", 1L)
                .containsEntry("unknown_entity", 1L);
        assertThat(devices(lake))
                .containsExactly(
                        "farm-001-probe-0001 2026-01-01T00:00:00Z..2026-01-03T00:00:00Z 1.0 loc-a active",
                        "farm-001-probe-0001 2026-01-03T00:00:00Z..9999-12-31T00:00:00Z 2.0 loc-a active current");
        long keyOfFirst = Lake.at(spark(), lake.toString())
                .devices()
                .read()
                .orderBy("valid_from")
                .head()
                .getLong(0);

        // an older change arrives after the newer one, together with a duplicate and a removal
        Registry.write(
                cdc,
                "b.json",
                List.of(
                        modify(D1, 200, "2026-01-02T00:00:00Z")
                                .placement("loc-b")
                                .json(),
                        modify(D1, 300, "2026-01-03T00:00:00Z")
                                .s("firmware", "2.0")
                                .json(),
                        remove(D1, 400, "2026-01-04T00:00:00Z").json()));
        JobResult<DimensionsCounts> second = cdc(lake, cdc);
        assertThat(second.counts().duplicates()).isEqualTo(1);
        assertThat(devices(lake))
                .containsExactly(
                        "farm-001-probe-0001 2026-01-01T00:00:00Z..2026-01-02T00:00:00Z 1.0 loc-a active",
                        "farm-001-probe-0001 2026-01-02T00:00:00Z..2026-01-03T00:00:00Z 1.0 loc-b active",
                        "farm-001-probe-0001 2026-01-03T00:00:00Z..2026-01-04T00:00:00Z 2.0 loc-b active");
        assertThat(Lake.at(spark(), lake.toString())
                        .devices()
                        .read()
                        .orderBy("valid_from")
                        .head()
                        .getLong(0))
                .as("a version keeps its key")
                .isEqualTo(keyOfFirst);

        Lake l = Lake.at(spark(), lake.toString());
        long devicesVersion = l.devices().version();
        long changesVersion = l.registryChanges().version();
        JobResult<DimensionsCounts> rerun = cdc(lake, cdc);
        assertThat(rerun.counts().files()).isZero();
        assertThat(l.devices().version()).isEqualTo(devicesVersion);
        assertThat(l.registryChanges().version()).isEqualTo(changesVersion);
        assertThat(l.quarantineEvents()
                        .read()
                        .filter(col("source_file").contains("a.json"))
                        .count())
                .isEqualTo(2);
        assertThat(l.jobRuns().succeeded(DimensionsJob.JOB)).hasSize(3);
    }

    @Test
    void aFreshLakeFromAllFilesAtOnceEqualsTheIncrementalOne() throws Exception {
        Path cdc = tmp.resolve("cdc");
        Registry.write(
                cdc,
                "a.json",
                List.of(
                        insert(D1, 100, "2026-01-01T00:00:00Z")
                                .s("firmware", "1.0")
                                .placement("loc-a")
                                .json(),
                        modify(D1, 300, "2026-01-03T00:00:00Z")
                                .s("firmware", "2.0")
                                .json()));
        Path one = tmp.resolve("one");
        cdc(one, cdc);
        Registry.write(
                cdc,
                "b.json",
                List.of(modify(D1, 200, "2026-01-02T00:00:00Z")
                        .placement("loc-b")
                        .json()));
        cdc(one, cdc);
        Path all = tmp.resolve("all");
        cdc(all, cdc);
        assertThat(Lake.at(spark(), one.toString())
                        .devices()
                        .read()
                        .orderBy("device_key")
                        .collectAsList())
                .isEqualTo(Lake.at(spark(), all.toString())
                        .devices()
                        .read()
                        .orderBy("device_key")
                        .collectAsList());
    }

    @Test
    void snapshotsTrackNewChangedUnchangedDeletedAndReappearingDevices() throws Exception {
        Path lake = lakeDir();
        Path meta = tmp.resolve("meta");
        Registry.devices(
                meta,
                "2026-01-01",
                List.of(
                        "farm-001-probe-0001,X2,1.0,acme,farm-001,loc-a,2025-06-01T00:00:00Z,active",
                        "farm-001-probe-0002,X2,1.0,acme,farm-001,loc-a,2025-06-01T00:00:00Z,active"));
        Registry.devices(
                meta,
                "2026-01-02",
                List.of(
                        "farm-001-probe-0001,X2,1.1,acme,farm-001,loc-a,2025-06-01T00:00:00Z,active",
                        "farm-001-probe-0002,X2,1.0,acme,farm-001,loc-a,2025-06-01T00:00:00Z,active,extra"));
        Registry.devices(
                meta,
                "2026-01-04",
                List.of("farm-001-probe-0001,X2,1.1,acme,farm-001,loc-a,2025-06-01T00:00:00Z,active"));
        JobResult<DimensionsCounts> r = snapshots(lake, meta);
        assertThat(r.counts().quarantinedByReason()).containsEntry("malformed_row", 1L);
        assertThat(devices(lake))
                .containsExactly(
                        "farm-001-probe-0001 2026-01-01T00:00:00Z..2026-01-02T00:00:00Z 1.0 loc-a active",
                        "farm-001-probe-0001 2026-01-02T00:00:00Z..9999-12-31T00:00:00Z 1.1 loc-a active current",
                        "farm-001-probe-0002 2026-01-01T00:00:00Z..2026-01-02T00:00:00Z 1.0 loc-a active");

        // a late snapshot between two applied ones changes only its own day
        Registry.devices(
                meta,
                "2026-01-03",
                List.of(
                        "farm-001-probe-0001,X2,9.9,acme,farm-001,loc-a,2025-06-01T00:00:00Z,active",
                        "farm-001-probe-0002,X2,1.0,acme,farm-001,loc-a,2025-06-01T00:00:00Z,active"));
        snapshots(lake, meta);
        assertThat(devices(lake))
                .containsExactly(
                        "farm-001-probe-0001 2026-01-01T00:00:00Z..2026-01-02T00:00:00Z 1.0 loc-a active",
                        "farm-001-probe-0001 2026-01-02T00:00:00Z..2026-01-03T00:00:00Z 1.1 loc-a active",
                        "farm-001-probe-0001 2026-01-03T00:00:00Z..2026-01-04T00:00:00Z 9.9 loc-a active",
                        "farm-001-probe-0001 2026-01-04T00:00:00Z..9999-12-31T00:00:00Z 1.1 loc-a active current",
                        "farm-001-probe-0002 2026-01-01T00:00:00Z..2026-01-02T00:00:00Z 1.0 loc-a active",
                        "farm-001-probe-0002 2026-01-03T00:00:00Z..2026-01-04T00:00:00Z 1.0 loc-a active");
    }

    @Test
    void aSnapshotMissingARequiredColumnFailsNamingIt() throws Exception {
        Path lake = lakeDir();
        Path meta = tmp.resolve("meta");
        Registry.write(
                meta.resolve("devices"),
                "2026-01-01.csv",
                List.of("device_id,model,customer,farm,location_id,installed_at,status", "d1,X2,acme,f,l,,active"));
        assertThatThrownBy(() -> snapshots(lake, meta))
                .isInstanceOf(JobFailedException.class)
                .hasMessageContaining("missing required column firmware");
        assertThat(Lake.at(spark(), lake.toString()).jobRuns().all())
                .extracting(JobRun::status)
                .containsExactly(JobRun.Status.FAILED);
    }
}
