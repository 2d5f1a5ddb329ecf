package dev.sensorhouse.rollup;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * The rollup's pure transformations: readings to hourly buckets and hourly buckets to days. No I/O; {@link RollupJob} does the reading and writing.
 *
 * <p>Sums are taken as exact decimals ({@code decimal(38,10)}) and rounded to double once, so a
 * bucket's figures do not depend on the order Spark happens to add its rows in: recomputing a bucket
 * from the same readings gives the same bits, and the MERGE finds nothing to change.
 */
public final class Rollup {
    /** The value columns both tables share; a bucket changed when one of them differs. */
    public static final List<String> VALUES = List.of(
            "value_count",
            "value_min",
            "value_max",
            "value_sum",
            "value_sum_squares",
            "value_avg",
            "value_stddev",
            "first_ts",
            "last_ts",
            "device_key",
            "location_key");

    private static final DecimalType EXACT = DataTypes.createDecimalType(38, 10);

    private Rollup() {}

    /** The distinct (device_id, metric, hour_start) buckets of some cleansed readings. */
    public static Dataset<Row> buckets(Dataset<Row> readings) {
        return readings.select(
                        col("device_id"),
                        col("metric"),
                        date_trunc("hour", col("event_ts")).as("hour_start"))
                .distinct();
    }

    /** One hourly row per (device_id, metric, hour) of cleansed readings (columns of readings_hourly). */
    public static Dataset<Row> hourly(Dataset<Row> readings) {
        return readings.groupBy(
                        col("device_id"),
                        col("metric"),
                        date_trunc("hour", col("event_ts")).as("hour_start"))
                .agg(
                        count(lit(1)).as("value_count"),
                        min("value").as("value_min"),
                        max("value").as("value_max"),
                        sum(col("value").cast(EXACT)).as("sum_exact"),
                        sum(col("value").multiply(col("value")).cast(EXACT)).as("sum_squares_exact"),
                        min("event_ts").as("first_ts"),
                        max("event_ts").as("last_ts"))
                .withColumn("event_date", to_date(col("hour_start")))
                .transform(Rollup::moments);
    }

    /** One daily row per (device_id, metric, day) of hourly rows (columns of readings_daily): an exact combination. */
    public static Dataset<Row> daily(Dataset<Row> hourly) {
        return hourly.groupBy(col("device_id"), col("metric"), col("event_date").as("day"))
                .agg(
                        sum("value_count").as("value_count"),
                        min("value_min").as("value_min"),
                        max("value_max").as("value_max"),
                        sum(col("value_sum").cast(EXACT)).as("sum_exact"),
                        sum(col("value_sum_squares").cast(EXACT)).as("sum_squares_exact"),
                        min("first_ts").as("first_ts"),
                        max("last_ts").as("last_ts"))
                .transform(Rollup::moments);
    }

    /**
     * Sum, sum of squares, mean and sample standard deviation from the exact sums:
     * {@code var = (sumsq - sum^2/n) / (n-1)}, a tiny negative rounding clamped to 0, null for n = 1.
     */
    private static Dataset<Row> moments(Dataset<Row> sums) {
        Column n = col("value_count").cast("double");
        Column sum = col("value_sum");
        Column variance = greatest(
                lit(0.0),
                col("value_sum_squares").minus(sum.multiply(sum).divide(n)).divide(n.minus(1)));
        return sums.withColumn("value_sum", col("sum_exact").cast("double"))
                .withColumn("value_sum_squares", col("sum_squares_exact").cast("double"))
                .withColumn("value_avg", col("value_sum").divide(n))
                .withColumn("value_stddev", when(col("value_count").gt(1), sqrt(variance)))
                .drop("sum_exact", "sum_squares_exact");
    }
}
