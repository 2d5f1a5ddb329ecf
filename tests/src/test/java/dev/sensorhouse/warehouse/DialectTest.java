package dev.sensorhouse.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.warehouse.StarSchema.Column;
import dev.sensorhouse.warehouse.StarSchema.Kind;
import dev.sensorhouse.warehouse.StarSchema.Table;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The text each {@link Dialect} renders for the shipped star schema, written out in full. Every
 * expected statement here has been checked by eye against the dialect's grammar (Redshift's CREATE
 * TABLE takes NOT NULL before ENCODE, as its own v_generate_tbl_ddl writes it).
 */
class DialectTest {
    private static final StarSchema SCHEMA = StarSchema.defaults();
    private static final Table FACT_READING = SCHEMA.table("fact_reading");
    private static final Table DIM_DEVICE = SCHEMA.table("dim_device");
    private static final Table DIM_METRIC = SCHEMA.table("dim_metric");
    private static final Table DIM_DATE = SCHEMA.table("dim_date");
    private static final Table ETL_JOB_RUN = SCHEMA.table("etl_job_run");

    // --- CREATE TABLE ---------------------------------------------------------------------------

    @Test
    void redshiftFactIsDistributedByDeviceSortedByEventTimeAndEncodedPerColumn() {
        assertThat(Dialect.REDSHIFT.createTable(FACT_READING)).isEqualTo("""
        CREATE TABLE IF NOT EXISTS fact_reading (
          event_id VARCHAR(64) NOT NULL ENCODE ZSTD,
          metric VARCHAR(64) NOT NULL ENCODE ZSTD,
          device_key BIGINT NOT NULL ENCODE AZ64,
          location_key BIGINT NOT NULL ENCODE AZ64,
          date_key INTEGER NOT NULL ENCODE AZ64,
          device_id VARCHAR(64) NOT NULL ENCODE ZSTD,
          event_ts TIMESTAMP NOT NULL ENCODE RAW,
          value DOUBLE PRECISION NOT NULL ENCODE ZSTD,
          unit VARCHAR(32) NOT NULL ENCODE ZSTD,
          lat DOUBLE PRECISION ENCODE ZSTD,
          lon DOUBLE PRECISION ENCODE ZSTD,
          battery_v DOUBLE PRECISION ENCODE ZSTD,
          firmware VARCHAR(64) ENCODE ZSTD,
          seq BIGINT ENCODE AZ64,
          arrival_ts TIMESTAMP NOT NULL ENCODE AZ64,
          run_id VARCHAR(64) NOT NULL ENCODE ZSTD
        )
        DISTSTYLE KEY
        DISTKEY (device_key)
        COMPOUND SORTKEY (event_ts)""");
    }

    @Test
    void redshiftDimensionIsCopiedToEveryNodeAndKeepsItsCompoundSortKeyRaw() {
        assertThat(Dialect.REDSHIFT.createTable(DIM_DEVICE)).isEqualTo("""
        CREATE TABLE IF NOT EXISTS dim_device (
          device_key BIGINT NOT NULL ENCODE AZ64,
          device_id VARCHAR(64) NOT NULL ENCODE RAW,
          model VARCHAR(64) ENCODE ZSTD,
          firmware VARCHAR(64) ENCODE ZSTD,
          customer VARCHAR(128) ENCODE ZSTD,
          farm VARCHAR(128) ENCODE ZSTD,
          location_id VARCHAR(64) ENCODE ZSTD,
          installed_at TIMESTAMP ENCODE AZ64,
          status VARCHAR(32) ENCODE ZSTD,
          attr_hash VARCHAR(64) NOT NULL ENCODE ZSTD,
          valid_from TIMESTAMP NOT NULL ENCODE RAW,
          valid_to TIMESTAMP NOT NULL ENCODE AZ64,
          is_current BOOLEAN NOT NULL ENCODE ZSTD
        )
        DISTSTYLE ALL
        COMPOUND SORTKEY (device_id, valid_from)""");
    }

    @Test
    void redshiftEncodesDatesAsAz64AndATableWithoutSortKeyHasNoSortKeyClause() {
        assertThat(Dialect.REDSHIFT.createTable(DIM_DATE))
                .contains("  date DATE NOT NULL ENCODE AZ64,\n", "  date_key INTEGER NOT NULL ENCODE RAW,\n");
        assertThat(Dialect.REDSHIFT.createTable(SCHEMA.table("etl_load_lock"))).isEqualTo("""
        CREATE TABLE IF NOT EXISTS etl_load_lock (
          holder VARCHAR(64) ENCODE ZSTD
        )
        DISTSTYLE ALL""");
    }

    @Test
    void aColumnsOwnEncodingWinsOverTheOneItsTypeSuits() {
        Table t = new Table(
                "t",
                Kind.DIMENSION,
                Optional.empty(),
                List.of("k"),
                "all",
                Optional.empty(),
                List.of("k"),
                List.of(
                        new Column("k", "bigint", false, "k", Optional.of("delta")),
                        new Column("s", "varchar(8)", true, "s", Optional.of("bytedict"))),
                Map.of());

        assertThat(Dialect.REDSHIFT.createTable(t)).isEqualTo("""
        CREATE TABLE IF NOT EXISTS t (
          k BIGINT NOT NULL ENCODE DELTA,
          s VARCHAR(8) ENCODE BYTEDICT
        )
        DISTSTYLE ALL
        COMPOUND SORTKEY (k)""");
    }

    @Test
    void postgresTableHasPlainTypesAndNoStorageClauses() {
        assertThat(Dialect.POSTGRES.createTable(FACT_READING)).isEqualTo("""
        CREATE TABLE IF NOT EXISTS fact_reading (
          event_id VARCHAR(64) NOT NULL,
          metric VARCHAR(64) NOT NULL,
          device_key BIGINT NOT NULL,
          location_key BIGINT NOT NULL,
          date_key INTEGER NOT NULL,
          device_id VARCHAR(64) NOT NULL,
          event_ts TIMESTAMP NOT NULL,
          value DOUBLE PRECISION NOT NULL,
          unit VARCHAR(32) NOT NULL,
          lat DOUBLE PRECISION,
          lon DOUBLE PRECISION,
          battery_v DOUBLE PRECISION,
          firmware VARCHAR(64),
          seq BIGINT,
          arrival_ts TIMESTAMP NOT NULL,
          run_id VARCHAR(64) NOT NULL
        )""");
    }

    @Test
    void duckDbTableUsesUnboundedVarcharAndDouble() {
        assertThat(Dialect.DUCKDB.createTable(FACT_READING)).isEqualTo("""
        CREATE TABLE IF NOT EXISTS fact_reading (
          event_id VARCHAR NOT NULL,
          metric VARCHAR NOT NULL,
          device_key BIGINT NOT NULL,
          location_key BIGINT NOT NULL,
          date_key INTEGER NOT NULL,
          device_id VARCHAR NOT NULL,
          event_ts TIMESTAMP NOT NULL,
          value DOUBLE NOT NULL,
          unit VARCHAR NOT NULL,
          lat DOUBLE,
          lon DOUBLE,
          battery_v DOUBLE,
          firmware VARCHAR,
          seq BIGINT,
          arrival_ts TIMESTAMP NOT NULL,
          run_id VARCHAR NOT NULL
        )""");
        assertThat(Dialect.DUCKDB.createTable(DIM_DATE)).isEqualTo("""
        CREATE TABLE IF NOT EXISTS dim_date (
          date_key INTEGER NOT NULL,
          date DATE NOT NULL,
          year INTEGER NOT NULL,
          quarter INTEGER NOT NULL,
          month INTEGER NOT NULL,
          month_name VARCHAR NOT NULL,
          day_of_month INTEGER NOT NULL,
          day_of_week INTEGER NOT NULL,
          iso_week INTEGER NOT NULL,
          is_weekend BOOLEAN NOT NULL
        )""");
    }

    // --- staging ---------------------------------------------------------------------------------

    @Test
    void redshiftStageOfAFactIsATempTableDistributedLikeItsTarget() {
        assertThat(Dialect.REDSHIFT.createStage(FACT_READING))
                .containsExactly("DROP TABLE IF EXISTS stage_fact_reading", """
        CREATE TEMP TABLE stage_fact_reading (
          event_id VARCHAR(64),
          metric VARCHAR(64),
          device_key BIGINT,
          location_key BIGINT,
          date_key INTEGER,
          device_id VARCHAR(64),
          event_ts TIMESTAMP,
          value DOUBLE PRECISION,
          unit VARCHAR(32),
          lat DOUBLE PRECISION,
          lon DOUBLE PRECISION,
          battery_v DOUBLE PRECISION,
          firmware VARCHAR(64),
          seq BIGINT,
          arrival_ts TIMESTAMP,
          run_id VARCHAR(64),
          _deleted BOOLEAN NOT NULL
        )
        DISTSTYLE KEY
        DISTKEY (device_key)""");
    }

    @Test
    void redshiftStageOfATableWithoutDistKeyHasNoDistributionClause() {
        assertThat(Dialect.REDSHIFT.createStage(DIM_METRIC))
                .containsExactly("DROP TABLE IF EXISTS stage_dim_metric", """
        CREATE TEMP TABLE stage_dim_metric (
          metric VARCHAR(64),
          profile VARCHAR(32),
          unit VARCHAR(32),
          min_value DOUBLE PRECISION,
          max_value DOUBLE PRECISION,
          alert_low DOUBLE PRECISION,
          alert_high DOUBLE PRECISION,
          _deleted BOOLEAN NOT NULL
        )""");
    }

    @Test
    void postgresAndDuckDbStagesAreTempTablesWithTheirOwnTypes() {
        assertThat(Dialect.POSTGRES.createStage(DIM_METRIC))
                .containsExactly("DROP TABLE IF EXISTS stage_dim_metric", """
        CREATE TEMP TABLE stage_dim_metric (
          metric VARCHAR(64),
          profile VARCHAR(32),
          unit VARCHAR(32),
          min_value DOUBLE PRECISION,
          max_value DOUBLE PRECISION,
          alert_low DOUBLE PRECISION,
          alert_high DOUBLE PRECISION,
          _deleted BOOLEAN NOT NULL
        )""");
        assertThat(Dialect.DUCKDB.createStage(FACT_READING))
                .containsExactly("DROP TABLE IF EXISTS stage_fact_reading", """
        CREATE TEMP TABLE stage_fact_reading (
          event_id VARCHAR,
          metric VARCHAR,
          device_key BIGINT,
          location_key BIGINT,
          date_key INTEGER,
          device_id VARCHAR,
          event_ts TIMESTAMP,
          value DOUBLE,
          unit VARCHAR,
          lat DOUBLE,
          lon DOUBLE,
          battery_v DOUBLE,
          firmware VARCHAR,
          seq BIGINT,
          arrival_ts TIMESTAMP,
          run_id VARCHAR,
          _deleted BOOLEAN NOT NULL
        )""");
    }

    @Test
    void duckDbStagesParquetFilesWithQuotedPathsInColumnOrder() {
        assertThat(ParquetFileStager.insertSql(
                        DIM_METRIC, List.of("/tmp/stage/part-0.parquet", "/tmp/o'brien/part-1.parquet")))
                .isEqualTo(
                        "INSERT INTO stage_dim_metric (metric, profile, unit, min_value, max_value, alert_low, alert_high, _deleted)"
                                + " SELECT metric, profile, unit, min_value, max_value, alert_low, alert_high, _deleted"
                                + " FROM read_parquet(['/tmp/stage/part-0.parquet', '/tmp/o''brien/part-1.parquet'])");
    }

    // --- delete and insert -----------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void deleteStagedMatchesEveryPartOfTheBusinessKey(Dialect d) {
        assertThat(d.deleteStaged(FACT_READING))
                .isEqualTo(
                        "DELETE FROM fact_reading USING stage_fact_reading s WHERE fact_reading.event_id = s.event_id AND fact_reading.metric = s.metric");
        assertThat(d.deleteStaged(DIM_DEVICE))
                .isEqualTo(
                        "DELETE FROM dim_device USING stage_dim_device s WHERE dim_device.device_key = s.device_key");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void deleteAllEmptiesATableButKeepsTheLoadsOwnAuditRows(Dialect d) {
        assertThat(d.deleteAll(FACT_READING)).isEqualTo("DELETE FROM fact_reading");
        assertThat(d.deleteAll(DIM_DEVICE)).isEqualTo("DELETE FROM dim_device");
        assertThat(d.deleteAll(ETL_JOB_RUN)).isEqualTo("DELETE FROM etl_job_run WHERE origin = 'lake'");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void insertStagedCopiesTheNamedColumnsOfRowsThatAreNotDeletions(Dialect d) {
        assertThat(d.insertStaged(DIM_METRIC))
                .isEqualTo(
                        "INSERT INTO dim_metric (metric, profile, unit, min_value, max_value, alert_low, alert_high)"
                                + " SELECT metric, profile, unit, min_value, max_value, alert_low, alert_high FROM stage_dim_metric WHERE NOT _deleted");
    }

    // --- views, lock, catalog queries ------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void viewIsCreatedOrReplacedFromItsSqlFileWithoutComments(Dialect d) {
        assertThat(d.createView(SCHEMA.views().get(0))).isEqualTo("""
        CREATE OR REPLACE VIEW v_reading_hourly_live AS
        SELECT device_id, metric, hour_start, value_count, value_min, value_max, value_sum, value_avg, 'batch' AS layer
        FROM fact_reading_hourly
        WHERE hour_start < (SELECT COALESCE(MAX(watermark), TIMESTAMP '1970-01-01 00:00:00') FROM etl_job_run WHERE job = 'load-warehouse' AND status = 'SUCCEEDED')
        UNION ALL
        SELECT device_id, metric, hour_start, value_count, value_min, value_max, value_sum, value_avg, 'speed' AS layer
        FROM speed_reading_hourly
        WHERE hour_start >= (SELECT COALESCE(MAX(watermark), TIMESTAMP '1970-01-01 00:00:00') FROM etl_job_run WHERE job = 'load-warehouse' AND status = 'SUCCEEDED')""");
    }

    @Test
    void serverDialectsLockTheLockTableAndDuckDbReliesOnItsFileLock() {
        assertThat(Dialect.REDSHIFT.lockLoads()).contains("LOCK etl_load_lock");
        assertThat(Dialect.POSTGRES.lockLoads()).contains("LOCK etl_load_lock");
        assertThat(Dialect.DUCKDB.lockLoads()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void columnsQueryReadsTheCurrentSchemaOfInformationSchema(Dialect d) {
        assertThat(d.columnsQuery())
                .isEqualTo(
                        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position");
    }

    // --- names -----------------------------------------------------------------------------------

    @Test
    void dialectIsFoundByItsNameInAnyCase() {
        assertThat(Dialect.of("redshift")).isEqualTo(Dialect.REDSHIFT);
        assertThat(Dialect.of("Postgres")).isEqualTo(Dialect.POSTGRES);
        assertThat(Dialect.of("DUCKDB")).isEqualTo(Dialect.DUCKDB);
        assertThat(Dialect.DUCKDB.label()).isEqualTo("duckdb");
    }

    @Test
    void unknownDialectIsRefusedNamingItAndTheKnownOnes() {
        assertThatThrownBy(() -> Dialect.of("mysql"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown warehouse dialect 'mysql'; expected redshift, postgres or duckdb");
        assertThatThrownBy(() -> Dialect.of("postgresql")).hasMessageContaining("'postgresql'");
    }
}
