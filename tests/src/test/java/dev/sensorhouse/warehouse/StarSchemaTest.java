package dev.sensorhouse.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.warehouse.StarSchema.Column;
import dev.sensorhouse.warehouse.StarSchema.Table;
import dev.sensorhouse.zones.TableContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped star schema against the lake's table contracts, and the rules every schema name follows. */
class StarSchemaTest extends SparkTestBase {
    private static final StarSchema SCHEMA = StarSchema.defaults();
    private static final Pattern LAKE_TABLE = Pattern.compile("^[a-z_]+\\.[a-z_]+$");

    /** The tables loaded from a lake table (not from the metric catalog or the calendar). */
    static Stream<String> lakeTables() {
        return SCHEMA.tables().stream()
                .filter(t ->
                        t.source().filter(s -> LAKE_TABLE.matcher(s).matches()).isPresent())
                .map(Table::name);
    }

    /** The Spark type a generic star-schema type is staged as, written out independently of {@link Column#sparkType}. */
    private static DataType sparkType(String generic) {
        if (generic.startsWith("varchar(")) {
            return DataTypes.StringType;
        }
        return switch (generic) {
            case "bigint" -> DataTypes.LongType;
            case "int" -> DataTypes.IntegerType;
            case "double" -> DataTypes.DoubleType;
            case "boolean" -> DataTypes.BooleanType;
            case "date" -> DataTypes.DateType;
            case "timestamp" -> DataTypes.TimestampType;
            default -> throw new AssertionError("not a generic type: " + generic);
        };
    }

    @Test
    void lakeSourcedTablesAreTheDimensionsFactsAndTheAuditTable() {
        assertThat(lakeTables())
                .containsExactly(
                        "dim_device",
                        "dim_location",
                        "fact_reading",
                        "fact_reading_hourly",
                        "fact_reading_daily",
                        "etl_job_run");
    }

    @ParameterizedTest
    @MethodSource("lakeTables")
    void rowsOfTheLakeContractHaveTheTablesColumnsInOrderWithTheirTypesThenDeleted(String name) {
        Table t = SCHEMA.table(name);
        Dataset<Row> empty = spark().createDataFrame(
                        List.<Row>of(),
                        TableContract.load(t.source().orElseThrow()).schema());

        StructField[] fields = WarehouseRows.rows(empty, t).schema().fields();

        List<String> expectedNames = new ArrayList<>(t.columnNames());
        expectedNames.add("_deleted");
        assertThat(Stream.of(fields).map(StructField::name)).containsExactlyElementsOf(expectedNames);
        for (int i = 0; i < t.columns().size(); i++) {
            Column c = t.columns().get(i);
            assertThat(fields[i].dataType())
                    .as(name + "." + c.name() + " " + c.type())
                    .isEqualTo(sparkType(c.type()));
        }
        assertThat(fields[fields.length - 1].dataType()).isEqualTo(DataTypes.BooleanType);
    }

    @Test
    void loadedTablesComeInLoadOrderDimensionsFactsThenAudit() {
        assertThat(SCHEMA.loadedTables().stream().map(Table::name))
                .containsExactly(
                        "dim_device",
                        "dim_location",
                        "dim_metric",
                        "dim_date",
                        "fact_reading",
                        "fact_reading_hourly",
                        "fact_reading_daily",
                        "etl_job_run");
    }

    @Test
    void keysDistKeysSortKeysAndUnknownMembersNameColumnsOfTheirTable() {
        for (Table t : SCHEMA.tables()) {
            List<String> columns = t.columnNames();
            assertThat(columns).as(t.name() + " key").containsAll(t.key());
            assertThat(columns).as(t.name() + " sortkey").containsAll(t.sortkey());
            assertThat(columns)
                    .as(t.name() + " distkey")
                    .containsAll(t.distkey().stream().toList());
            assertThat(columns)
                    .as(t.name() + " unknown member")
                    .containsAll(t.unknownMember().keySet());
            assertThat(columns).as(t.name() + " has no duplicate column").doesNotHaveDuplicates();
        }
        SCHEMA.loadedTables()
                .forEach(t -> assertThat(t.key())
                        .as(t.name() + " is loaded by its key")
                        .isNotEmpty());
    }

    @Test
    void dimensionsFromTheLakeHaveAnUnknownMemberWithKeyMinusOne() {
        assertThat(SCHEMA.table("dim_device").unknownMember()).containsEntry("device_key", "-1");
        assertThat(SCHEMA.table("dim_location").unknownMember()).containsEntry("location_key", "-1");
    }

    @Test
    void viewsSelectOnlyFromSchemaTables() {
        Set<String> tables =
                Set.copyOf(SCHEMA.tables().stream().map(Table::name).toList());
        Pattern from = Pattern.compile("(?i)\\b(?:FROM|JOIN)\\s+([A-Za-z_][A-Za-z0-9_.\"]*)");
        assertThat(SCHEMA.views()).isNotEmpty();
        for (StarSchema.View v : SCHEMA.views()) {
            List<String> read = new ArrayList<>();
            Matcher m = from.matcher(v.select());
            while (m.find()) {
                read.add(m.group(1));
            }
            assertThat(read).as(v.name()).isNotEmpty().isSubsetOf(tables);
            assertThat(v.select()).as(v.name()).doesNotContain("--", ";").startsWithIgnoringCase("SELECT ");
        }
        assertThat(SCHEMA.views().get(0).select())
                .contains("FROM fact_reading_hourly", "FROM speed_reading_hourly", "FROM etl_job_run");
    }

    @Test
    void everyNameInTheSchemaIsAPlainLowerCaseIdentifier() {
        List<String> names = new ArrayList<>();
        for (Table t : SCHEMA.tables()) {
            names.add(t.name());
            names.addAll(t.columnNames());
            t.columns().forEach(c -> c.encode().ifPresent(names::add));
        }
        SCHEMA.views().forEach(v -> names.add(v.name()));

        assertThat(names)
                .hasSizeGreaterThan(100)
                .allMatch(n -> StarSchema.IDENTIFIER.matcher(n).matches());
    }

    @Test
    void identifierPatternRefusesAnythingThatWouldNeedQuotingInSql() {
        assertThat(List.of("fact_reading", "_deleted", "a".repeat(63), "v2"))
                .allMatch(n -> StarSchema.IDENTIFIER.matcher(n).matches());
        assertThat(List.of(
                        "",
                        "Fact",
                        "1st",
                        "a-b",
                        "a b",
                        "\"quoted\"",
                        "x;drop table y",
                        "o'brien",
                        "a".repeat(64),
                        "schema.table",
                        "ü"))
                .noneMatch(n -> StarSchema.IDENTIFIER.matcher(n).matches());
    }

    @Test
    void everyColumnHasAGenericType() {
        Pattern generic = Pattern.compile("^(bigint|int|double|boolean|date|timestamp|varchar\\(\\d+\\))$");
        for (Table t : SCHEMA.tables()) {
            assertThat(t.columns())
                    .as(t.name())
                    .allMatch(c -> generic.matcher(c.type()).matches());
        }
        assertThat(SCHEMA.table("dim_device").column("device_id").baseType()).isEqualTo("varchar");
        assertThat(SCHEMA.table("dim_device").column("device_id").sparkType()).isEqualTo("string");
        assertThat(SCHEMA.table("dim_device").column("device_key").sparkType()).isEqualTo("bigint");
    }

    @Test
    void unknownTableOrColumnIsRefusedNamingIt() {
        assertThatThrownBy(() -> SCHEMA.table("fact_sales"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the star schema has no table fact_sales");
        assertThatThrownBy(() -> SCHEMA.table("fact_reading").column("temperature"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("table fact_reading has no column temperature");
    }
}
