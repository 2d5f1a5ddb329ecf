package dev.sensorhouse.zones;

import static dev.sensorhouse.testing.Events.event;
import static dev.sensorhouse.testing.Events.lines;
import static dev.sensorhouse.testing.Events.writeRaw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.cleanse.CleanseJob;
import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.rollup.RollupJob;
import dev.sensorhouse.testing.SparkTestBase;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Each lake table, as the jobs write it, has exactly the columns of its contract in schemas/. */
class TableContractTest extends SparkTestBase {
    @Test
    void writtenTablesMatchTheirContracts() throws Exception {
        Path lake = lakeDir();
        writeRaw(
                lake,
                "2026-01-01T00:00:00Z",
                "a.json",
                lines(event("e1").metric("light", 1).metric("humidity", 200).json(), "{"));
        new CleanseJob(Lake.at(spark(), lake.toString()), CleanseConfig.incremental(lake.toString()), "test").run();
        new RollupJob(Lake.at(spark(), lake.toString()), RollupConfig.incremental(lake.toString()), "test").run();
        Path cdc = tmp.resolve("cdc");
        dev.sensorhouse.testing.Registry.write(
                cdc,
                "a.json",
                java.util.List.of(
                        dev.sensorhouse.testing.Registry.insert("DEVICE#farm-001-probe-0001", 1, "2025-12-01T00:00:00Z")
                                .s("firmware", "1")
                                .placement("loc-a")
                                .json(),
                        dev.sensorhouse.testing.Registry.insert("LOCATION#loc-a", 2, "2025-12-01T00:00:00Z")
                                .n("lat", "52.1")
                                .json()));
        new dev.sensorhouse.dimensions.DimensionsJob(
                        Lake.at(spark(), lake.toString()),
                        new dev.sensorhouse.dimensions.DimensionsConfig(
                                lake.toString(),
                                Optional.empty(),
                                Optional.of(cdc.toString()),
                                dev.sensorhouse.dimensions.NullRule.KEEP),
                        "test")
                .run();
        Lake l = Lake.at(spark(), lake.toString());
        for (LakeTable table : new LakeTable[] {
            l.cleansedReadings(),
            l.quarantineEvents(),
            l.readingsHourly(),
            l.readingsDaily(),
            l.jobRuns().table(),
            l.devices(),
            l.locations(),
            l.registryChanges()
        }) {
            StructType actual =
                    spark().read().format("delta").load(table.location()).schema();
            StructType contract = table.contract().schema();
            assertThat(actual.fieldNames()).as(table.contract().table()).containsExactly(contract.fieldNames());
            for (int i = 0; i < contract.fields().length; i++) {
                assertThat(actual.fields()[i].dataType())
                        .as(contract.fields()[i].name())
                        .isEqualTo(contract.fields()[i].dataType());
            }
            String partitions = spark().sql("DESCRIBE DETAIL delta.`" + table.location() + "`")
                    .select("partitionColumns")
                    .head()
                    .getList(0)
                    .toString();
            assertThat(partitions)
                    .as(table.contract().table())
                    .isEqualTo(table.contract().partitionColumns().toString());
        }
    }

    @Test
    void anOlderTableGainsTheContractsNewColumnsInPlace() throws Exception {
        Path lake = lakeDir();
        String location = lake.resolve("cleansed/readings").toString();
        org.apache.spark.sql.types.StructType old = TableContract.CLEANSED_READINGS.schema();
        old = new org.apache.spark.sql.types.StructType(java.util.Arrays.stream(old.fields())
                .filter(f -> !f.name().endsWith("_key"))
                .toArray(org.apache.spark.sql.types.StructField[]::new));
        io.delta.tables.DeltaTable.createIfNotExists(spark())
                .location(location)
                .addColumns(old)
                .partitionedBy("event_date")
                .execute();
        Lake.at(spark(), lake.toString()).cleansedReadings().ensureExists();
        assertThat(spark().read().format("delta").load(location).schema().fieldNames())
                .containsExactly(TableContract.CLEANSED_READINGS.columnNames());
    }

    @Test
    void contractsAreReadFromTheSchemasFolder() {
        assertThat(TableContract.CLEANSED_READINGS.path()).isEqualTo("cleansed/readings");
        assertThat(TableContract.CLEANSED_READINGS.partitionColumns()).containsExactly("event_date");
        assertThat(TableContract.QUARANTINE_EVENTS.columnNames())
                .contains(
                        "run_id",
                        "reason_code",
                        "reason_detail",
                        "raw_line",
                        "source_file",
                        "source_line",
                        "arrival_date",
                        "device_id",
                        "metric");
    }
}
