package dev.sensorhouse.warehouse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Staging files: a batch written by Spark as Parquet under one folder per load run
 * ({@code <staging>/<run id>/<table>/part-*.parquet}), on any Hadoop file system (a local folder, or
 * {@code s3a://} / {@code s3://} for Redshift). Timestamps are written as TIMESTAMP_MICROS without
 * time zone adjustment, which both Redshift's COPY and DuckDB read as TIMESTAMP.
 */
public final class ParquetStaging {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ParquetStaging.class);

    private final SparkSession spark;
    private final Path root;

    /** @param runFolder the run's folder, {@code <staging>/<run id>} */
    public ParquetStaging(SparkSession spark, String runFolder) {
        this.spark = spark;
        this.root = new Path(runFolder);
    }

    Path root() {
        return root;
    }

    /** Writes the rows under {@code <run folder>/<name>/} and returns the Parquet files with their sizes. */
    public List<FileStatus> write(Dataset<Row> rows, String name) throws IOException {
        Path dir = new Path(root, name);
        asLocalTimestamps(rows).write().mode("overwrite").parquet(dir.toString());
        FileSystem fs = fs();
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus f : fs.listStatus(dir)) {
            if (f.isFile() && f.getPath().getName().endsWith(".parquet")) {
                files.add(f);
            }
        }
        return files;
    }

    /**
     * Timestamps as TIMESTAMP_NTZ, which Spark writes as Parquet TIMESTAMP(MICROS) not adjusted to UTC
     * whatever {@code spark.sql.parquet.outputTimestampType} says: the values are UTC wall
     * times (the session time zone is UTC) and load as such into the warehouse's TIMESTAMP columns, where
     * a UTC-adjusted timestamp would be shifted by the reader's time zone.
     */
    static Dataset<Row> asLocalTimestamps(Dataset<Row> rows) {
        org.apache.spark.sql.Column[] columns = java.util.Arrays.stream(
                        rows.schema().fields())
                .map(f -> f.dataType().equals(org.apache.spark.sql.types.DataTypes.TimestampType)
                        ? org.apache
                                .spark
                                .sql
                                .functions
                                .col(f.name())
                                .cast(org.apache.spark.sql.types.DataTypes.TimestampNTZType)
                                .as(f.name())
                        : org.apache.spark.sql.functions.col(f.name()))
                .toArray(org.apache.spark.sql.Column[]::new);
        return rows.select(columns);
    }

    /** Deletes the run's folder. */
    public void delete() {
        try {
            fs().delete(root, true);
        } catch (IOException e) {
            LOG.warn("could not remove the staging files under {}: {}", root, e.getMessage());
        }
    }

    FileSystem fs() throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        return root.getFileSystem(conf);
    }
}
