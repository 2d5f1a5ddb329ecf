package dev.sensorhouse.dimensions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import dev.sensorhouse.runtime.Columns;
import dev.sensorhouse.zones.TableContract;
import dev.sensorhouse.zones.TableDiff;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Re-keying of facts after their dimensions changed: which devices are affected, and which fact rows
 * now get other point-in-time keys ({@link Enrichment}). The fact tables belong to cleanse and rollup;
 * this class only knows, from their contracts, their keys and partitions, and which time each is
 * enriched at. Pure.
 */
final class FactKeys {
    /** A fact table: its contract and the time column its keys are valid at. */
    record Fact(TableContract contract, String time) {
        String partition() {
            return contract.partitionColumns().get(0);
        }
    }

    /** The facts that carry dimension keys: readings at their event time, aggregates at their first reading. */
    static final List<Fact> FACTS = List.of(
            new Fact(TableContract.CLEANSED_READINGS, "event_ts"),
            new Fact(TableContract.READINGS_HOURLY, "first_ts"),
            new Fact(TableContract.READINGS_DAILY, "first_ts"));

    private FactKeys() {}

    /**
     * The devices whose facts may have new keys ({@code device_id}): the touched devices and the
     * devices placed at a touched location. {@code touched} has {@code entity} and {@code natural_key}.
     */
    static Dataset<Row> affectedDevices(Dataset<Row> touched, Dataset<Row> devices) {
        Dataset<Row> touchedLocations = touched.filter(col("entity").equalTo(Entity.LOCATION.code()))
                .select(col("natural_key").as("location_id"));
        return touched.filter(col("entity").equalTo(Entity.DEVICE.code()))
                .select(col("natural_key").as("device_id"))
                .union(devices.join(touchedLocations, "location_id").select("device_id"))
                .distinct();
    }

    /**
     * The rows of {@code facts} (a fact table's current rows) of the affected devices from {@code
     * since} on whose keys change, with their new keys, as a change set ({@link TableDiff#DELETE} false).
     */
    static Dataset<Row> changed(
            Fact fact,
            Dataset<Row> facts,
            Dataset<Row> affected,
            Timestamp since,
            Dataset<Row> devices,
            Dataset<Row> locations) {
        Date firstDate = Date.valueOf(LocalDate.ofInstant(since.toInstant(), ZoneOffset.UTC));
        Dataset<Row> stored = facts.filter(col(fact.partition())
                        .geq(lit(firstDate))
                        .and(col(fact.time()).geq(lit(since))))
                .join(affected, Columns.seq(List.of("device_id")), "left_semi")
                .withColumnRenamed("device_key", "_old_device_key")
                .withColumnRenamed("location_key", "_old_location_key");
        return Enrichment.withKeys(stored, fact.time(), devices, locations)
                .filter(not(col("device_key").eqNullSafe(col("_old_device_key")))
                        .or(not(col("location_key").eqNullSafe(col("_old_location_key")))))
                .drop("_old_device_key", "_old_location_key")
                .withColumn(TableDiff.DELETE, lit(false));
    }
}
