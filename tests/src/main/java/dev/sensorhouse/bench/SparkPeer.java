package dev.sensorhouse.bench;

import static org.apache.spark.sql.functions.*;

import dev.sensorhouse.contract.Identifiers;
import dev.sensorhouse.contract.MetricCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The plain Spark job a data engineer would write for the same work, in the same SparkSession: a
 * typed JSON read, filters, {@code dropDuplicates}, explode, partitioned Parquet; and a plain
 * {@code groupBy} roll-up. No quarantine, no accounting, no enrichment, no Delta.
 */
final class SparkPeer {
    private SparkPeer() {}

    static final StructType RAW = new StructType()
            .add("event_id", DataTypes.StringType)
            .add("device_id", DataTypes.StringType)
            .add("ts", DataTypes.StringType)
            .add("metrics", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
            .add("units", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
            .add("location", new StructType().add("lat", DataTypes.DoubleType).add("lon", DataTypes.DoubleType))
            .add("battery_v", DataTypes.DoubleType)
            .add("firmware", DataTypes.StringType)
            .add("seq", DataTypes.LongType);

    /** Cleanses the raw JSON under {@code rawDir} into Parquet under {@code out}; returns the readings written. */
    static long cleanse(SparkSession spark, String rawDir, String out, MetricCatalog catalog) {
        Dataset<Row> raw = spark.read().schema(RAW).json(rawDir);
        Column eventTs =
                coalesce(to_timestamp(col("ts")), timestamp_millis(col("ts").cast("long")));
        Dataset<Row> events = raw.filter(length(col("event_id"))
                        .between(1, 128)
                        .and(col("device_id").rlike(Identifiers.DEVICE_ID.pattern()))
                        .and(size(col("metrics")).gt(0)))
                .withColumn("event_ts", eventTs)
                .filter(col("event_ts").isNotNull())
                .dropDuplicates("event_id");
        Dataset<Row> readings = events.select(
                        col("event_id"),
                        col("device_id"),
                        col("event_ts"),
                        col("location"),
                        col("battery_v"),
                        col("firmware"),
                        col("seq"),
                        col("units"),
                        explode(col("metrics")).as(new String[] {"metric", "raw_value"}))
                .join(
                        broadcast(catalog(spark, catalog)),
                        col("metric")
                                .equalTo(col("c_metric"))
                                .and(coalesce(element_at(col("units"), col("metric")), col("canonical"))
                                        .equalTo(col("c_unit"))))
                .withColumn("value", col("raw_value").plus(col("unit_offset")).multiply(col("unit_scale")))
                .filter(col("raw_value").isNotNull().and(col("value").between(col("lo"), col("hi"))))
                .select(
                        col("event_id"),
                        col("device_id"),
                        col("metric"),
                        col("value"),
                        col("canonical").as("unit"),
                        col("event_ts"),
                        to_date(col("event_ts")).as("event_date"),
                        col("location.lat").as("lat"),
                        col("location.lon").as("lon"),
                        col("battery_v"),
                        col("firmware"),
                        col("seq"));
        readings.write().mode("overwrite").partitionBy("event_date").parquet(out);
        return spark.read().parquet(out).count();
    }

    /** The hourly roll-up of {@code readings} into {@code out}/hourly, then the daily one; returns the hourly rows. */
    static long rollup(Dataset<Row> readings, String out) {
        readings.groupBy(
                        col("device_id"),
                        col("metric"),
                        date_trunc("hour", col("event_ts")).as("hour_start"))
                .agg(
                        count(lit(1)).as("value_count"),
                        min("value").as("value_min"),
                        max("value").as("value_max"),
                        sum("value").as("value_sum"),
                        sum(col("value").multiply(col("value"))).as("value_sum_squares"),
                        avg("value").as("value_avg"),
                        stddev_samp("value").as("value_stddev"),
                        min("event_ts").as("first_ts"),
                        max("event_ts").as("last_ts"))
                .withColumn("event_date", to_date(col("hour_start")))
                .write()
                .mode("overwrite")
                .parquet(out + "/hourly");
        Dataset<Row> hourly = readings.sparkSession().read().parquet(out + "/hourly");
        hourly.groupBy(col("device_id"), col("metric"), col("event_date").as("day"))
                .agg(
                        sum("value_count").as("value_count"),
                        min("value_min").as("value_min"),
                        max("value_max").as("value_max"),
                        sum("value_sum").as("value_sum"),
                        sum("value_sum_squares").as("value_sum_squares"),
                        min("first_ts").as("first_ts"),
                        max("last_ts").as("last_ts"))
                .write()
                .mode("overwrite")
                .parquet(out + "/daily");
        return hourly.count();
    }

    private static Dataset<Row> catalog(SparkSession spark, MetricCatalog catalog) {
        List<Row> rows = new ArrayList<>();
        for (MetricCatalog.Metric m : catalog.metrics().values()) {
            for (Map.Entry<String, MetricCatalog.Conversion> u : m.units().entrySet()) {
                rows.add(RowFactory.create(
                        m.name(),
                        u.getKey(),
                        m.unit(),
                        u.getValue().offset(),
                        u.getValue().scale(),
                        m.min(),
                        m.max()));
            }
        }
        StructType schema = new StructType()
                .add("c_metric", DataTypes.StringType)
                .add("c_unit", DataTypes.StringType)
                .add("canonical", DataTypes.StringType)
                .add("unit_offset", DataTypes.DoubleType)
                .add("unit_scale", DataTypes.DoubleType)
                .add("lo", DataTypes.DoubleType)
                .add("hi", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema);
    }
}
