package dev.sensorhouse.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.S3Server;
import dev.sensorhouse.testing.SparkTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spark and Hadoop's s3a against the test harness's s3proxy ({@link S3Server}): what the Redshift
 * load path needs from S3 (staging Parquet under a prefix, a manifest object, listing, recursive
 * delete) and a Delta table on s3a. Each test has its own bucket.
 */
class S3ServerTest extends SparkTestBase {
    private static final StructType READINGS = new StructType()
            .add("device_id", DataTypes.StringType, false)
            .add("seq", DataTypes.LongType, false)
            .add("value", DataTypes.DoubleType, true);

    private static final List<Row> ROWS = List.of(
            RowFactory.create("d1", 1L, 21.5),
            RowFactory.create("d1", 2L, null),
            RowFactory.create("d2", 1L, -3.25),
            RowFactory.create("d3", 7L, 1e9));

    private String bucket;
    private FileSystem fs;

    @BeforeAll
    static void pointS3aAtTheServer() {
        S3Server.shared().configure(spark());
    }

    @BeforeEach
    void newBucket() throws IOException {
        bucket = S3Server.shared().createBucket("s3-server-test");
        fs = FileSystem.get(
                URI.create("s3a://" + bucket + "/"), spark().sparkContext().hadoopConfiguration());
    }

    private String s3(String key) {
        return "s3a://" + bucket + "/" + key;
    }

    private static Dataset<Row> readings() {
        return spark().createDataFrame(ROWS, READINGS).repartition(2);
    }

    @Test
    void parquetWrittenUnderAPrefixReadsBackEqualAndListsItsPartFiles() throws IOException {
        readings().write().parquet(s3("staging/x/"));

        assertThat(spark().read().parquet(s3("staging/x/")).collectAsList()).containsExactlyInAnyOrderElementsOf(ROWS);
        List<String> names = new ArrayList<>();
        for (FileStatus f : fs.listStatus(new Path(s3("staging/x/")))) {
            assertThat(f.isFile()).as("%s is an object", f.getPath()).isTrue();
            names.add(f.getPath().getName());
        }
        assertThat(names).contains("_SUCCESS");
        assertThat(names.stream().filter(n -> n.startsWith("part-") && n.endsWith(".parquet")))
                .as("part files in %s", names)
                .hasSizeBetween(1, 2);
    }

    @Test
    void textFileWrittenThroughFileSystemReadsBackItsBytes() throws IOException {
        String manifest = "{\"entries\":[{\"url\":\"" + s3("staging/x/part-0.parquet") + "\",\"mandatory\":true}]}\n";
        Path path = new Path(s3("staging/x/manifest.json"));
        try (OutputStream out = fs.create(path, false)) {
            out.write(manifest.getBytes(StandardCharsets.UTF_8));
        }

        try (InputStream in = fs.open(path)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(manifest);
        }
        assertThat(fs.getFileStatus(path).getLen()).isEqualTo(manifest.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void recursiveDeleteRemovesThePrefixAndLeavesItsSiblings() throws IOException {
        readings().write().parquet(s3("staging/x/"));
        try (OutputStream out = fs.create(new Path(s3("staging/x/manifest.json")), false)) {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        readings().write().parquet(s3("staging/y/"));
        assertThat(keys()).anyMatch(k -> k.startsWith("staging/x/part-")).contains("staging/x/manifest.json");

        assertThat(fs.delete(new Path(s3("staging/x")), true)).isTrue();

        assertThat(fs.exists(new Path(s3("staging/x")))).isFalse();
        assertThat(keys()).noneMatch(k -> k.startsWith("staging/x/")).anyMatch(k -> k.startsWith("staging/y/part-"));
    }

    @Test
    void deltaTableOnS3aTakesAnAppendAndReadsBackBothCommits() {
        String table = s3("lake/readings");
        readings().where("device_id = 'd1'").write().format("delta").save(table);
        readings().write().format("delta").mode("append").save(table);

        List<Row> expected = new ArrayList<>(ROWS);
        expected.addAll(ROWS.stream().filter(r -> r.getString(0).equals("d1")).toList());
        assertThat(spark().read().format("delta").load(table).collectAsList())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Every object key in the bucket, through a recursive s3a listing. */
    private List<String> keys() throws IOException {
        List<String> keys = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(new Path(s3("")), true);
        while (it.hasNext()) {
            keys.add(it.next().getPath().toUri().getPath().substring(1));
        }
        return keys;
    }
}
