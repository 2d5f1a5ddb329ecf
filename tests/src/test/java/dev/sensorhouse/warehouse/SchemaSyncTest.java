package dev.sensorhouse.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.warehouse.SchemaSync.ExistingColumn;
import dev.sensorhouse.warehouse.SchemaSync.SchemaMismatchException;
import dev.sensorhouse.warehouse.StarSchema.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link SchemaSync#plan}: what it takes to bring a warehouse, as information_schema reports it, to the star schema. */
class SchemaSyncTest {
    private static final StarSchema SCHEMA = StarSchema.defaults();

    /** Every table of the schema as the warehouse would report it, each column's type passed through {@code reported}. */
    private static Map<String, List<ExistingColumn>> complete(Dialect d, UnaryOperator<String> reported) {
        Map<String, List<ExistingColumn>> existing = new LinkedHashMap<>();
        for (Table t : SCHEMA.tables()) {
            List<ExistingColumn> columns = new ArrayList<>();
            t.columns()
                    .forEach(
                            c -> columns.add(new ExistingColumn(c.name(), reported.apply(d.informationSchemaType(c)))));
            existing.put(t.name(), columns);
        }
        return existing;
    }

    private static Map<String, List<ExistingColumn>> complete(Dialect d) {
        return complete(d, UnaryOperator.identity());
    }

    private static List<String> views(Dialect d) {
        return SCHEMA.views().stream().map(d::createView).toList();
    }

    private static Map<String, List<ExistingColumn>> replacing(
            Map<String, List<ExistingColumn>> existing, String table, List<ExistingColumn> columns) {
        Map<String, List<ExistingColumn>> out = new LinkedHashMap<>(existing);
        out.put(table, columns);
        return out;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void emptyWarehouseGetsEveryTableInSchemaOrderThenTheViews(Dialect d) {
        List<String> plan = SchemaSync.plan(SCHEMA, d, Map.of());

        List<String> expected = new ArrayList<>();
        SCHEMA.tables().forEach(t -> expected.add(d.createTable(t)));
        expected.addAll(views(d));
        assertThat(plan).containsExactlyElementsOf(expected);
        assertThat(plan).hasSize(11);
        assertThat(plan.get(0)).startsWith("CREATE TABLE IF NOT EXISTS dim_device (");
        assertThat(plan.get(10)).startsWith("CREATE OR REPLACE VIEW v_reading_hourly_live AS");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void completeWarehouseOnlyGetsItsViewsAgain(Dialect d) {
        assertThat(SchemaSync.plan(SCHEMA, d, complete(d))).containsExactlyElementsOf(views(d));
    }

    @Test
    void duckDbsUpperCaseTypeNamesMatch() {
        assertThat(SchemaSync.plan(SCHEMA, Dialect.DUCKDB, complete(Dialect.DUCKDB, t -> t.toUpperCase(Locale.ROOT))))
                .containsExactlyElementsOf(views(Dialect.DUCKDB));
    }

    @Test
    void postgresAndRedshiftReportTheirOwnTypeNames() {
        Table fact = SCHEMA.table("fact_reading");
        Table date = SCHEMA.table("dim_date");
        for (Dialect d : List.of(Dialect.POSTGRES, Dialect.REDSHIFT)) {
            assertThat(d.informationSchemaType(fact.column("device_key"))).isEqualTo("bigint");
            assertThat(d.informationSchemaType(fact.column("date_key"))).isEqualTo("integer");
            assertThat(d.informationSchemaType(fact.column("value"))).isEqualTo("double precision");
            assertThat(d.informationSchemaType(fact.column("event_ts"))).isEqualTo("timestamp without time zone");
            assertThat(d.informationSchemaType(fact.column("event_id"))).isEqualTo("character varying");
            assertThat(d.informationSchemaType(date.column("date"))).isEqualTo("date");
            assertThat(d.informationSchemaType(date.column("is_weekend"))).isEqualTo("boolean");
        }
    }

    @Test
    void duckDbReportsItsOwnTypeNames() {
        Table fact = SCHEMA.table("fact_reading");
        Table date = SCHEMA.table("dim_date");
        Dialect d = Dialect.DUCKDB;
        assertThat(d.informationSchemaType(fact.column("device_key"))).isEqualTo("bigint");
        assertThat(d.informationSchemaType(fact.column("date_key"))).isEqualTo("integer");
        assertThat(d.informationSchemaType(fact.column("value"))).isEqualTo("double");
        assertThat(d.informationSchemaType(fact.column("event_ts"))).isEqualTo("timestamp");
        assertThat(d.informationSchemaType(fact.column("event_id"))).isEqualTo("varchar");
        assertThat(d.informationSchemaType(date.column("date"))).isEqualTo("date");
        assertThat(d.informationSchemaType(date.column("is_weekend"))).isEqualTo("boolean");
    }

    @Test
    void aMissingTableIsCreatedAndTheOthersAreLeftAlone() {
        Map<String, List<ExistingColumn>> existing = complete(Dialect.POSTGRES);
        existing.remove("etl_load_lock");

        assertThat(SchemaSync.plan(SCHEMA, Dialect.POSTGRES, existing))
                .containsExactly(
                        "CREATE TABLE IF NOT EXISTS etl_load_lock (\n  holder VARCHAR(64)\n)",
                        views(Dialect.POSTGRES).get(0));
    }

    @Test
    void aMissingColumnIsAddedAsNullableEvenWhenTheSchemaSaysNotNull() {
        Map<String, List<ExistingColumn>> existing = complete(Dialect.POSTGRES);
        List<ExistingColumn> fact = new ArrayList<>(existing.get("fact_reading"));
        fact.removeIf(c -> c.name().equals("unit"));

        assertThat(SchemaSync.plan(SCHEMA, Dialect.POSTGRES, replacing(existing, "fact_reading", fact)))
                .containsExactly(
                        "ALTER TABLE fact_reading ADD COLUMN unit VARCHAR(32)",
                        views(Dialect.POSTGRES).get(0));
    }

    @Test
    void aMissingColumnIsAddedInEachDialectsTypes() {
        for (Dialect d : Dialect.values()) {
            Map<String, List<ExistingColumn>> existing = complete(d);
            List<ExistingColumn> fact = new ArrayList<>(existing.get("fact_reading"));
            fact.removeIf(c -> c.name().equals("battery_v"));
            List<String> plan = SchemaSync.plan(SCHEMA, d, replacing(existing, "fact_reading", fact));
            assertThat(plan).as(d.label()).hasSize(2).endsWith(views(d).get(0));
            assertThat(plan.get(0))
                    .as(d.label())
                    .isEqualTo(
                            switch (d) {
                                case REDSHIFT ->
                                    "ALTER TABLE fact_reading ADD COLUMN battery_v DOUBLE PRECISION ENCODE ZSTD";
                                case POSTGRES -> "ALTER TABLE fact_reading ADD COLUMN battery_v DOUBLE PRECISION";
                                case DUCKDB -> "ALTER TABLE fact_reading ADD COLUMN battery_v DOUBLE";
                            });
        }
    }

    @Test
    void aColumnOfAnotherTypeStopsTheLoadNamingTableColumnAndBothTypes() {
        Map<String, List<ExistingColumn>> existing = complete(Dialect.POSTGRES);
        List<ExistingColumn> fact = new ArrayList<>(existing.get("fact_reading"));
        fact.replaceAll(c -> c.name().equals("seq") ? new ExistingColumn("seq", "integer") : c);

        assertThatThrownBy(() -> SchemaSync.plan(SCHEMA, Dialect.POSTGRES, replacing(existing, "fact_reading", fact)))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessage(
                        "warehouse table fact_reading: column seq is integer, the star schema says bigint (bigint); migrate it by hand");
    }

    @Test
    void aDuckDbColumnOfAnotherTypeNamesDuckDbsTypes() {
        Map<String, List<ExistingColumn>> existing = complete(Dialect.DUCKDB);
        List<ExistingColumn> date = new ArrayList<>(existing.get("dim_date"));
        date.replaceAll(c -> c.name().equals("date") ? new ExistingColumn("date", "VARCHAR") : c);

        assertThatThrownBy(() -> SchemaSync.plan(SCHEMA, Dialect.DUCKDB, replacing(existing, "dim_date", date)))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessage(
                        "warehouse table dim_date: column date is varchar, the star schema says date (date); migrate it by hand");
    }

    @Test
    void aTimestampWithTimeZoneIsNotATimestamp() {
        Map<String, List<ExistingColumn>> existing = complete(Dialect.POSTGRES);
        List<ExistingColumn> fact = new ArrayList<>(existing.get("fact_reading"));
        fact.replaceAll(
                c -> c.name().equals("event_ts") ? new ExistingColumn("event_ts", "timestamp with time zone") : c);

        assertThatThrownBy(() -> SchemaSync.plan(SCHEMA, Dialect.POSTGRES, replacing(existing, "fact_reading", fact)))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("column event_ts is timestamp with time zone")
                .hasMessageContaining("(timestamp without time zone)");
    }

    @Test
    void aColumnTheSchemaDoesNotHaveStopsTheLoadNamingIt() {
        Map<String, List<ExistingColumn>> existing = complete(Dialect.POSTGRES);
        List<ExistingColumn> device = new ArrayList<>(existing.get("dim_device"));
        device.add(new ExistingColumn("legacy_serial", "character varying"));

        assertThatThrownBy(() -> SchemaSync.plan(SCHEMA, Dialect.POSTGRES, replacing(existing, "dim_device", device)))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageStartingWith(
                        "warehouse table dim_device has column legacy_serial, which the star schema does not have");
    }
}
