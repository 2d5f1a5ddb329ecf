package dev.sensorhouse.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.testing.PostgresServer;
import dev.sensorhouse.testing.S3Server;
import dev.sensorhouse.testing.SparkTestBase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The Redshift staging path up to the COPY, against real services: Spark writes the batch as Parquet
 * to S3 (s3proxy), the manifest lists every file with its size, and a failed COPY rolls back and
 * reports the {@code stl_load_errors} rows of the run's files, keeping the files. PostgreSQL stands in
 * for the server: it rejects Redshift's COPY FROM S3, and this test gives it a table shaped like
 * Redshift's {@code stl_load_errors} (the columns the error report reads) holding one error row.
 */
class S3ManifestStagerTest extends SparkTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RedshiftCopy COPY =
            new RedshiftCopy(Optional.of("arn:aws:iam::123456789012:role/sensorhouse-copy"), Optional.empty());

    @Test
    void stagesParquetWithAManifestAndReportsAFailedCopyWithItsLoadErrors() throws Exception {
        S3Server s3 = S3Server.shared();
        s3.configure(spark());
        String bucket = s3.createBucket("staging");
        String run = "s3a://" + bucket + "/warehouse-staging/load-warehouse-0001";
        StarSchema.Table dimMetric = StarSchema.defaults().table("dim_metric");
        Dataset<Row> rows = WarehouseRows.metrics(spark(), MetricCatalog.defaults(), dimMetric)
                .repartition(2);

        PostgresServer pg = PostgresServer.shared();
        try (Connection c = pg.connect(pg.redshiftUrl(pg.createDatabase("copy")))) {
            try (Statement s = c.createStatement()) {
                s.execute(
                        "CREATE TABLE stl_load_errors (starttime TIMESTAMP, filename CHAR(256), line_number BIGINT, colname CHAR(127), err_code INTEGER, err_reason CHAR(100))");
                s.execute(
                        "INSERT INTO stl_load_errors VALUES (now(), 's3://" + bucket
                                + "/warehouse-staging/load-warehouse-0001/dim_metric/part-00000.parquet', 3, 'min_value', 1207, 'Invalid digit, Value ''x''')");
                s.execute("INSERT INTO stl_load_errors VALUES (now(), 's3://" + bucket
                        + "/other-run/part-00000.parquet', 1, 'metric', 1204, 'another load')");
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : Dialect.POSTGRES.createStage(dimMetric)) {
                    s.execute(sql);
                }
            }
            S3ManifestStager stager = new S3ManifestStager(new ParquetStaging(spark(), run), COPY);

            assertThatThrownBy(() -> stager.stage(c, dimMetric, rows))
                    .hasMessageContaining(
                            "stl_load_errors for s3://" + bucket + "/warehouse-staging/load-warehouse-0001/:")
                    .hasMessageContaining(
                            "dim_metric/part-00000.parquet line 3 column min_value: error 1207 Invalid digit, Value 'x'")
                    .hasMessageNotContaining("another load")
                    .hasMessageContaining(
                            "staging files kept under s3://" + bucket + "/warehouse-staging/load-warehouse-0001/");
        }

        FileSystem fs = new Path(run).getFileSystem(spark().sparkContext().hadoopConfiguration());
        JsonNode manifest = JSON.readTree(
                new String(fs.open(new Path(run, "dim_metric.manifest")).readAllBytes(), StandardCharsets.UTF_8));
        assertThat(manifest.path("entries")).hasSize(2);
        for (JsonNode entry : manifest.path("entries")) {
            String url = entry.path("url").asText();
            assertThat(url)
                    .startsWith("s3://" + bucket + "/warehouse-staging/load-warehouse-0001/dim_metric/part-")
                    .endsWith(".parquet");
            assertThat(entry.path("mandatory").asBoolean()).isTrue();
            assertThat(entry.path("meta").path("content_length").asLong())
                    .isEqualTo(fs.getFileStatus(new Path(url.replaceFirst("^s3://", "s3a://")))
                            .getLen());
        }
        assertThat(spark().read().parquet(run + "/dim_metric").count())
                .isEqualTo(MetricCatalog.defaults().metrics().size());
        assertThat(spark().read().parquet(run + "/dim_metric").columns())
                .containsExactly(
                        "metric",
                        "profile",
                        "unit",
                        "min_value",
                        "max_value",
                        "alert_low",
                        "alert_high",
                        Dialect.DELETED);

        new S3ManifestStager(new ParquetStaging(spark(), run), COPY).afterCommit();
        assertThat(fs.exists(new Path(run))).isFalse();
    }

    @Test
    void copyStatementNamesTheManifestOfTheRunsTable() {
        assertThat(COPY.copy(
                        StarSchema.defaults().table("fact_reading"),
                        S3ManifestStager.s3Url(new Path("s3a://bucket-1/staging/run-1/fact_reading.manifest"))))
                .isEqualTo("""
            COPY stage_fact_reading
            FROM 's3://bucket-1/staging/run-1/fact_reading.manifest'
            IAM_ROLE 'arn:aws:iam::123456789012:role/sensorhouse-copy'
            FORMAT AS PARQUET
            MANIFEST""");
    }
}
