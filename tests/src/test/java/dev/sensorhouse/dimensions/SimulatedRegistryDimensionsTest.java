package dev.sensorhouse.dimensions;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.simulate.InjectionReport;
import dev.sensorhouse.simulate.RegistryReport;
import dev.sensorhouse.simulate.SimulateConfig;
import dev.sensorhouse.simulate.Simulator;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.zones.Lake;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dimensions job on the simulator's registry files, reconciled against its report exactly. */
class SimulatedRegistryDimensionsTest extends SparkTestBase {
    @Test
    void cdcAndSnapshotsGiveTheVersionsTheSimulatorExpects() throws Exception {
        Path lake = lakeDir();
        InjectionReport report = new Simulator(new SimulateConfig(
                        lake.toString(),
                        60,
                        SimulateConfig.DEFAULT_START,
                        Duration.ofDays(2),
                        Duration.ofMinutes(10),
                        SimulateConfig.Profile.AGRICULTURE,
                        SimulateConfig.FaultLevel.DEFAULT,
                        11,
                        false,
                        1,
                        true))
                .run();
        RegistryReport registry = report.registry();

        Path viaCdc = tmp.resolve("cdc-lake");
        Lake cdcLake = Lake.at(spark(), viaCdc.toString());
        JobResult<DimensionsCounts> r = new DimensionsJob(
                        cdcLake,
                        new DimensionsConfig(
                                viaCdc.toString(),
                                Optional.empty(),
                                Optional.of(lake.resolve("raw/registry_cdc").toString()),
                                NullRule.KEEP),
                        "test")
                .run();
        assertThat(r.counts().recordsIn()).isEqualTo(registry.cdcLines());
        assertThat(r.counts().duplicates()).isEqualTo(registry.duplicates());
        assertThat(r.counts().quarantinedByReason()).isEqualTo(registry.malformedCdcLinesByReason());
        RegistryReport.Scd2 fromCdc = registry.expectedFromCdc();
        assertThat(cdcLake.devices().read().count()).isEqualTo(fromCdc.deviceVersions());
        assertThat(cdcLake.locations().read().count()).isEqualTo(fromCdc.locationVersions());
        assertThat(cdcLake.devices().read().filter(col("is_current")).count())
                .isEqualTo(fromCdc.currentDeviceVersions());
        assertThat(cdcLake.locations().read().filter(col("is_current")).count())
                .isEqualTo(fromCdc.currentLocationVersions());

        Path viaSnapshots = tmp.resolve("snapshot-lake");
        Lake snapLake = Lake.at(spark(), viaSnapshots.toString());
        new DimensionsJob(
                        snapLake,
                        new DimensionsConfig(
                                viaSnapshots.toString(),
                                Optional.of(lake.resolve("raw/registry").toString()),
                                Optional.empty(),
                                NullRule.KEEP),
                        "test")
                .run();
        RegistryReport.Scd2 fromSnapshots = registry.expectedFromSnapshots();
        assertThat(snapLake.devices().read().count()).isEqualTo(fromSnapshots.deviceVersions());
        assertThat(snapLake.locations().read().count()).isEqualTo(fromSnapshots.locationVersions());
        assertThat(snapLake.devices().read().filter(col("is_current")).count())
                .isEqualTo(fromSnapshots.currentDeviceVersions());
    }
}
