package dev.sensorhouse.rollup;

import static dev.sensorhouse.testing.Events.event;
import static dev.sensorhouse.testing.Events.lines;
import static dev.sensorhouse.testing.Events.writeRaw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.testing.Cli;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.zones.Lake;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The seed analytics ({@link Analytics}) on lakes run through {@code sensorhouse run}. */
class AnalyticsTest extends SparkTestBase {
    @Test
    void dailyTemperatureGivesMinAvgMaxPerDeviceAndDay() throws Exception {
        Path dir = lakeDir();
        writeRaw(
                dir,
                "2026-01-03T00:00:00Z",
                "a.json",
                lines(
                        event("t1")
                                .device("farm-1")
                                .at("2026-01-01T03:00:00Z")
                                .metric("temperature", 10.0)
                                .json(),
                        event("t2")
                                .device("farm-1")
                                .at("2026-01-01T15:00:00Z")
                                .metric("temperature", 20.0)
                                .json(),
                        event("t3")
                                .device("farm-1")
                                .at("2026-01-01T16:00:00Z")
                                .metric("temperature", 24.0)
                                .json(),
                        event("t4")
                                .device("farm-1")
                                .at("2026-01-02T04:00:00Z")
                                .metric("temperature", 5.0)
                                .metric("humidity", 70)
                                .json()));
        Cli.succeed("run", "--lake", dir.toString());

        List<String> rows = new Analytics(Lake.at(spark(), dir.toString()), MetricCatalog.defaults())
                .dailyTemperature().collectAsList().stream()
                        .map(r -> r.getAs("device_id") + " " + r.getAs("day") + " " + r.getAs("temperature_min") + "/"
                                + r.getAs("temperature_avg") + "/" + r.getAs("temperature_max") + " n="
                                + r.getAs("readings"))
                        .toList();
        assertThat(rows).containsExactly("farm-1 2026-01-01 10.0/18.0/24.0 n=3", "farm-1 2026-01-02 5.0/5.0/5.0 n=1");
    }

    @Test
    void vehicleAnalyticsCountRapidAccelerationsAndMilesPerYear() throws Exception {
        Path dir = lakeDir();
        writeRaw(
                dir,
                "2026-01-03T00:00:00Z",
                "v.json",
                lines(
                        event("v1")
                                .device("car-1")
                                .at("2026-01-01T08:00:00Z")
                                .metric("acceleration", 2.0)
                                .metric("odometer", 100.0)
                                .json(),
                        event("v2")
                                .device("car-1")
                                .at("2026-01-01T08:01:00Z")
                                .metric("acceleration", 3.5)
                                .metric("odometer", 110.0)
                                .json(),
                        event("v3")
                                .device("car-1")
                                .at("2026-01-01T09:00:00Z")
                                .metric("acceleration", 4.0)
                                .metric("odometer", 130.0)
                                .json(),
                        event("v4")
                                .device("car-1")
                                .at("2026-01-02T07:00:00Z")
                                .metric("acceleration", -5.0)
                                .metric("odometer", 140.0)
                                .json(),
                        event("v5")
                                .device("car-1")
                                .at("2026-01-02T18:00:00Z")
                                .metric("acceleration", 0.5)
                                .unit("acceleration", "g")
                                .metric("odometer", 220.0)
                                .json(),
                        event("v6")
                                .device("car-2")
                                .at("2026-01-02T18:00:00Z")
                                .metric("acceleration", 1.0)
                                .json()));
        Cli.succeed("run", "--lake", dir.toString());
        Analytics analytics = new Analytics(Lake.at(spark(), dir.toString()), MetricCatalog.defaults());

        // 3.5 is not above the threshold; 4.0 and 0.5 g = 4.90 m/s2 are
        List<String> rapid = analytics.rapidAccelerations().collectAsList().stream()
                .map(r -> r.getAs("device_id") + " " + r.getAs("year") + " " + r.getAs("rapid_accelerations") + "/"
                        + r.getAs("acceleration_readings"))
                .toList();
        assertThat(rapid).containsExactly("car-1 2026 2/5", "car-2 2026 0/1");

        List<Row> miles = analytics.milesDriven().collectAsList();
        assertThat(miles).singleElement().satisfies(r -> {
            assertThat(r.<String>getAs("device_id")).isEqualTo("car-1");
            assertThat(r.<Integer>getAs("year")).isEqualTo(2026);
            // day 1: 130 - 100 = 30 km, day 2: 220 - 140 = 80 km
            assertThat(r.<Double>getAs("miles")).isCloseTo(110 / 1.609344, within(1e-9));
        });
    }

    @Test
    void runStopsAtTheFailedStageWithItsName() throws Exception {
        Path dir = lakeDir();
        writeRaw(
                dir,
                "2026-01-01T00:00:00Z",
                "a.json",
                lines(event("e1").metric("temperature", 20.0).json()));
        java.nio.file.Files.createDirectories(dir.resolve("aggregated"));
        java.nio.file.Files.writeString(dir.resolve("aggregated/readings_hourly"), "not a table");

        Cli.Outcome outcome = Cli.run("run", "--lake", dir.toString());
        assertThat(outcome.code()).as(outcome.describe()).isEqualTo(1);
        assertThat(outcome.err()).contains("run: stage rollup failed: ");
        assertThat(outcome.out()).as("the cleanse finished first").contains("cleanse");
        assertThat(Lake.at(spark(), dir.toString()).jobRuns().succeeded("cleanse"))
                .hasSize(1);
    }
}
