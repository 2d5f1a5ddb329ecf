package dev.sensorhouse.zones;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The lake: one root (a local folder or {@code s3a://bucket/prefix}) holding every zone. This class
 * is the one place that knows where each zone and table lives under the root.
 */
public final class Lake {
    /** How long a job waits for another job's writer lock by default ({@code --lock-wait}). */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMinutes(10);

    private final SparkSession spark;
    private final String root;
    private final Duration lockWait;

    private Lake(SparkSession spark, String root, Duration lockWait) {
        this.spark = spark;
        this.root = root;
        this.lockWait = lockWait;
    }

    /** Binds a lake root; a local path is made absolute. The root need not exist yet. */
    public static Lake at(SparkSession spark, String root) {
        return new Lake(spark, normalize(root), DEFAULT_LOCK_WAIT);
    }

    /** The same lake, whose jobs wait up to {@code wait} for another job's writer lock. */
    public Lake withLockWait(Duration wait) {
        return new Lake(spark, root, wait);
    }

    /** How long a job waits for another job's writer lock before it fails. */
    public Duration lockWait() {
        return lockWait;
    }

    /** The lake's writer lock: one job writes the lake at a time. */
    public WriterLock writerLock() {
        return new WriterLock(root, hadoopConf());
    }

    /** Makes a local path absolute and strips trailing slashes; URIs with a scheme are kept. */
    public static String normalize(String root) {
        String trimmed = root.replaceAll("/+$", "");
        if (trimmed.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return trimmed;
        }
        return java.nio.file.Path.of(trimmed).toAbsolutePath().normalize().toString();
    }

    public String root() {
        return root;
    }

    public SparkSession spark() {
        return spark;
    }

    public RawZone raw() {
        return new RawZone(fileSystem(), new Path(root), hadoopConf());
    }

    public LakeTable cleansedReadings() {
        return table(TableContract.CLEANSED_READINGS);
    }

    public LakeTable quarantineEvents() {
        return table(TableContract.QUARANTINE_EVENTS);
    }

    public LakeTable readingsHourly() {
        return table(TableContract.READINGS_HOURLY);
    }

    public LakeTable readingsDaily() {
        return table(TableContract.READINGS_DAILY);
    }

    public LakeTable devices() {
        return table(TableContract.DEVICES);
    }

    public LakeTable locations() {
        return table(TableContract.LOCATIONS);
    }

    public LakeTable registryChanges() {
        return table(TableContract.REGISTRY_CHANGES);
    }

    public JobRuns jobRuns() {
        return new JobRuns(spark, table(TableContract.JOB_RUNS));
    }

    public LakeTable table(TableContract contract) {
        return new LakeTable(spark, contract, root + "/" + contract.path());
    }

    public Configuration hadoopConf() {
        return spark.sparkContext().hadoopConfiguration();
    }

    private FileSystem fileSystem() {
        try {
            return new Path(root).getFileSystem(hadoopConf());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of lake " + root, e);
        }
    }
}
