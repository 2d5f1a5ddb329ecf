package dev.sensorhouse.runtime;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession every job uses. Settings already given (by spark-submit, Glue or
 * {@code --conf}) win; these are only defaults: Delta's extension and catalog, UTC session time,
 * a local master when none is set, and a shuffle width that fits the machine instead of 200.
 */
public final class SparkSessions {
    private SparkSessions() {}

    public static SparkSession getOrCreate(String appName) {
        SparkConf conf = new SparkConf(true);
        setDefault(conf, "spark.master", "local[*]");
        setDefault(conf, "spark.app.name", appName);
        setDefault(conf, "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
        setDefault(conf, "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        setDefault(conf, "spark.sql.session.timeZone", "UTC");
        setDefault(conf, "spark.driver.host", "127.0.0.1");
        setDefault(conf, "spark.driver.bindAddress", "127.0.0.1");
        setDefault(conf, "spark.ui.enabled", "false");
        setDefault(conf, "spark.ui.showConsoleProgress", "false");
        setDefault(conf, "spark.sql.adaptive.enabled", "true");
        int cores = Runtime.getRuntime().availableProcessors();
        if (conf.get("spark.master").startsWith("local")) {
            setDefault(conf, "spark.sql.shuffle.partitions", String.valueOf(Math.max(2, cores * 2)));
            setDefault(conf, "spark.default.parallelism", String.valueOf(Math.max(2, cores * 2)));
            setDefault(conf, "spark.databricks.delta.snapshotPartitions", "2");
        }
        // Delta keeps statistics for data skipping; the lake's writers rely on them (see LakeTable).
        setDefault(conf, "spark.databricks.delta.stats.collect", "true");
        setDefault(conf, "spark.sql.parquet.compression.codec", "snappy");
        setDefault(conf, "spark.sql.debug.maxToStringFields", "200");
        // Write partitioned tables with one open file per partition instead of sorting every row by
        // partition first (Spark falls back to sorting past this many files per task).
        setDefault(conf, "spark.sql.maxConcurrentOutputFileWriters", "16");
        // Parquet dictionaries only pay off for repeated values; these columns are (nearly) unique per
        // row, so a dictionary is built, overflows and is thrown away for every page.
        for (String column : new String[] {"event_id", "value", "source_line", "seq", "raw_line", "reason_detail"}) {
            setDefault(conf, "spark.hadoop.parquet.enable.dictionary#" + column, "false");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    private static void setDefault(SparkConf conf, String key, String value) {
        if (!conf.contains(key)) {
            conf.set(key, value);
        }
    }
}
