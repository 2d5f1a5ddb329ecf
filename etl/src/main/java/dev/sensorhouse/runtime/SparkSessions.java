package dev.sensorhouse.runtime;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Builds the SparkSession every job uses. Settings already given (by spark-submit, Glue or
 * {@code --conf}) win; these are only defaults: Delta's extension and catalog, UTC session time,
 * a local master when none is set, and a shuffle width that fits the machine instead of 200.
 *
 * <p>S3: {@code s3a://} is Hadoop's S3A connector; {@code s3://} is mapped to it too (AWS Glue 5.1 does
 * the same in its own {@code core-site.xml}, which then wins: the mapping is only set when the Hadoop
 * configuration has none). On a local master S3A takes its credentials from the AWS SDK's default
 * chain ({@code DefaultAWSCredentialsProviderChain}: environment, Java system properties, web identity,
 * {@code ~/.aws} profile, container and instance roles); elsewhere (Glue, EMR) the cluster's own S3A
 * settings stand. Credentials are never Sensorhouse options. Endpoint and other S3A settings are Spark
 * settings ({@code spark.hadoop.fs.s3a.*}, e.g. through {@code SENSORHOUSE_SPARK_CONF}).
 */
public final class SparkSessions {
    private SparkSessions() {}

    public static SparkSession getOrCreate(String appName) {
        deltaOnTheClasspath();
        return SparkSession.builder().config(conf(appName)).getOrCreate();
    }

    /**
     * A session whose catalog is a metastore (Hive's, or on AWS Glue with {@code --enable-glue-datacatalog}
     * the Glue Data Catalog) when Spark's Hive support is on the classpath and no catalog is configured;
     * otherwise as {@link #getOrCreate}. An existing session is returned as it is.
     */
    public static SparkSession withMetastore(String appName) {
        deltaOnTheClasspath();
        SparkConf conf = conf(appName);
        try {
            Class.forName(
                    "org.apache.spark.sql.hive.HiveSessionStateBuilder", false, SparkSessions.class.getClassLoader());
            setDefault(conf, "spark.sql.catalogImplementation", "hive");
        } catch (ClassNotFoundException noHive) {
            // the in-memory catalog; the caller says what is missing
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /**
     * Fails clearly when Delta Lake is missing: {@code sensorhouse.jar} bundles it, the Glue jar leaves it
     * to Glue ({@code --datalake-formats delta}). Without it Spark would only warn about the session
     * extension and fail later on the first table.
     */
    private static synchronized void deltaOnTheClasspath() {
        if (deltaReported) {
            return;
        }
        try {
            Class<?> extension = Class.forName(
                    "io.delta.sql.DeltaSparkSessionExtension", false, SparkSessions.class.getClassLoader());
            java.security.CodeSource source = extension.getProtectionDomain().getCodeSource();
            // The progress logger "sensorhouse.spark": shown like a job's progress lines, as "[spark] ...".
            org.slf4j.LoggerFactory.getLogger("sensorhouse.spark")
                    .info(
                            "Delta Lake {} from {}",
                            io.delta.package$.MODULE$.VERSION(),
                            source == null ? "the classpath" : source.getLocation());
            deltaReported = true;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    "Delta Lake is not on the classpath: on AWS Glue run the job with --datalake-formats delta (the"
                            + " Glue jar sensorhouse-glue.jar leaves Delta to Glue); elsewhere run sensorhouse.jar, which"
                            + " bundles it",
                    e);
        }
    }

    private static boolean deltaReported;

    /** The S3A class that serves {@code s3://} and {@code s3a://}. */
    static final String S3A = "org.apache.hadoop.fs.s3a.S3AFileSystem";

    /** The AWS SDK's default credential chain, for S3A on a local master. */
    static final String DEFAULT_CREDENTIALS = "com.amazonaws.auth.DefaultAWSCredentialsProviderChain";

    /**
     * A Hadoop configuration as a SparkSession built now would have it ({@code core-site.xml} plus the
     * {@code spark.hadoop.*} settings with these defaults), for code that writes the lake without a
     * session (the simulator, option checks).
     */
    public static Configuration hadoopConfiguration() {
        Configuration hadoop = new Configuration();
        for (Tuple2<String, String> kv : conf("sensorhouse").getAll()) {
            if (kv._1().startsWith("spark.hadoop.")) {
                hadoop.set(kv._1().substring("spark.hadoop.".length()), kv._2());
            }
        }
        return hadoop;
    }

    /** The settings every session gets: those already given win, then these defaults. */
    static SparkConf conf(String appName) {
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
        s3Defaults(conf);
        return conf;
    }

    private static void s3Defaults(SparkConf conf) {
        Configuration site = new Configuration();
        if (site.get("fs.s3.impl") == null) {
            setDefault(conf, "spark.hadoop.fs.s3.impl", S3A);
        }
        if (conf.get("spark.master").startsWith("local") && isDefault(site, "fs.s3a.aws.credentials.provider")) {
            setDefault(conf, "spark.hadoop.fs.s3a.aws.credentials.provider", DEFAULT_CREDENTIALS);
        }
    }

    /** Whether {@code key} comes only from Hadoop's built-in defaults (no site file sets it). */
    private static boolean isDefault(Configuration site, String key) {
        String[] sources = site.getPropertySources(key);
        return sources == null || java.util.Arrays.stream(sources).allMatch(s -> s.equals("core-default.xml"));
    }

    private static void setDefault(SparkConf conf, String key, String value) {
        if (!conf.contains(key)) {
            conf.set(key, value);
        }
    }
}
