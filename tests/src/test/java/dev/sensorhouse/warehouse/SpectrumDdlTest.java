package dev.sensorhouse.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The Redshift Spectrum DDL over a lake table's symlink manifests, as the Redshift dialect renders it. */
class SpectrumDdlTest {
    private static final StructType READINGS = new StructType()
            .add("event_id", DataTypes.StringType, false)
            .add("value", DataTypes.DoubleType)
            .add("seq", DataTypes.LongType)
            .add("event_ts", DataTypes.TimestampType)
            .add("event_date", DataTypes.DateType)
            .add("counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
            .add("files", DataTypes.createArrayType(DataTypes.StringType));

    @Test
    void theExternalSchemaIsOverADatabaseOfItsOwn() {
        assertThat(Dialect.REDSHIFT.createExternalSchema("spectrum", "sensorhouse_spectrum", "arn:aws:iam::1:role/r"))
                .isEqualTo("CREATE EXTERNAL SCHEMA IF NOT EXISTS spectrum\n"
                        + "FROM DATA CATALOG DATABASE 'sensorhouse_spectrum'\n"
                        + "IAM_ROLE 'arn:aws:iam::1:role/r'\n"
                        + "CREATE EXTERNAL DATABASE IF NOT EXISTS");
    }

    @Test
    void anExternalTableReadsTheManifestsWithThePartitionColumnsApart() {
        assertThat(Dialect.REDSHIFT.createExternalTable(
                        "spectrum",
                        "cleansed_readings",
                        READINGS,
                        List.of("event_date"),
                        "s3a://lake/cleansed/readings/_symlink_format_manifest"))
                .containsExactly(
                        "DROP TABLE IF EXISTS spectrum.cleansed_readings",
                        "CREATE EXTERNAL TABLE spectrum.cleansed_readings (\n"
                                + "  event_id VARCHAR(65535),\n"
                                + "  value DOUBLE PRECISION,\n"
                                + "  seq BIGINT,\n"
                                + "  event_ts TIMESTAMP,\n"
                                + "  counts MAP<VARCHAR(65535),BIGINT>,\n"
                                + "  files ARRAY<VARCHAR(65535)>\n"
                                + ")\n"
                                + "PARTITIONED BY (event_date DATE)\n"
                                + "ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'\n"
                                + "STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'\n"
                                + "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n"
                                + "LOCATION 's3://lake/cleansed/readings/_symlink_format_manifest'");
    }

    @Test
    void aPartitionPointsAtItsManifestFolder() {
        assertThat(Dialect.REDSHIFT.addExternalPartition(
                        "spectrum",
                        "cleansed_readings",
                        Map.of("event_date", "2026-01-01"),
                        "s3://lake/cleansed/readings/_symlink_format_manifest/event_date=2026-01-01"))
                .isEqualTo(
                        "ALTER TABLE spectrum.cleansed_readings ADD IF NOT EXISTS PARTITION (event_date = '2026-01-01')"
                                + " LOCATION 's3://lake/cleansed/readings/_symlink_format_manifest/event_date=2026-01-01'");
    }

    @Test
    void onlyRedshiftHasSpectrumAndNamesAreChecked() {
        assertThatThrownBy(() -> Dialect.POSTGRES.createExternalSchema("s", "d", "r"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Dialect.REDSHIFT.createExternalSchema("Bad-Name", "d", "r"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bad-Name");
    }
}
