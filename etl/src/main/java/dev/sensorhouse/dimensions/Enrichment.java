package dev.sensorhouse.dimensions;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Point-in-time enrichment: gives fact rows the surrogate keys of the dimension versions that were
 * valid when the fact happened. Pure; the one definition of how a fact finds its versions.
 *
 * <p>A fact at time {@code ts} of device {@code d} gets the {@code device_key} of the version of
 * {@code d} with {@code valid_from <= ts < valid_to}, and the {@code location_key} of the version of
 * that device version's {@code location_id} valid at {@code ts}. Readings use their {@code event_ts};
 * hourly and daily rows their {@code first_ts}, the time of their first reading. Facts of a device
 * with no version valid then (never registered, not yet installed, removed) get {@link #UNKNOWN}
 * ({@code -1}), the unknown member, and so does the location of a device without a valid location
 * version: they are kept and counted, never dropped.
 */
public final class Enrichment {
    /** The unknown member's surrogate key in every dimension. */
    public static final long UNKNOWN = -1L;

    private Enrichment() {}

    /**
     * {@code facts} (with {@code device_id} and a timestamp column {@code ts}) with {@code device_key}
     * and {@code location_key} set (replaced when present). Versions of one item never overlap, so
     * every fact row stays exactly one row.
     */
    public static Dataset<Row> withKeys(Dataset<Row> facts, String ts, Dataset<Row> devices, Dataset<Row> locations) {
        Dataset<Row> d = devices.select(
                col("device_id").as("_d_id"),
                col("device_key").as("_d_key"),
                col("location_id").as("_d_location"),
                col("valid_from").as("_d_from"),
                col("valid_to").as("_d_to"));
        Dataset<Row> l = locations.select(
                col("location_id").as("_l_id"),
                col("location_key").as("_l_key"),
                col("valid_from").as("_l_from"),
                col("valid_to").as("_l_to"));
        Column time = col(ts);
        Dataset<Row> plain = facts.drop("device_key", "location_key");
        return plain.join(
                        d,
                        col("device_id")
                                .equalTo(col("_d_id"))
                                .and(time.geq(col("_d_from")))
                                .and(time.lt(col("_d_to"))),
                        "left_outer")
                .join(
                        l,
                        col("_d_location")
                                .equalTo(col("_l_id"))
                                .and(time.geq(col("_l_from")))
                                .and(time.lt(col("_l_to"))),
                        "left_outer")
                .withColumn("device_key", coalesce(col("_d_key"), lit(UNKNOWN)))
                .withColumn("location_key", coalesce(col("_l_key"), lit(UNKNOWN)))
                .drop("_d_id", "_d_key", "_d_location", "_d_from", "_d_to", "_l_id", "_l_key", "_l_from", "_l_to");
    }
}
