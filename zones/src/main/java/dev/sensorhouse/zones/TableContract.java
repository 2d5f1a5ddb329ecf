package dev.sensorhouse.zones;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A lake table's contract, read from {@code schemas/contracts/tables/<table>.json} on the classpath: its
 * name, path under the lake root, columns, partition columns, key (the columns that identify a row:
 * what MERGEs match on and what a change set is keyed by), and the columns Delta keeps min/max
 * statistics of for data skipping (empty: Delta's default, the first 32 columns). The JSON files are
 * the one place a table's shape is written down; code and tests take the schema and keys from here.
 */
public record TableContract(
        String table,
        String path,
        StructType schema,
        List<String> partitionColumns,
        List<String> key,
        List<String> statsColumns,
        List<Column> columns) {

    /**
     * One column's contract beyond its Spark type: whether a dimension tracks it (a change of a tracked
     * column starts a new SCD2 version) and the source attribute paths it is read from, first set one
     * wins (default: its own name).
     */
    public record Column(String name, DataType type, boolean nullable, boolean tracked, List<String> sources) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final TableContract CLEANSED_READINGS = load("cleansed.readings");
    public static final TableContract QUARANTINE_EVENTS = load("quarantine.events");
    public static final TableContract JOB_RUNS = load("control.job_runs");
    public static final TableContract READINGS_HOURLY = load("aggregated.readings_hourly");
    public static final TableContract READINGS_DAILY = load("aggregated.readings_daily");
    public static final TableContract DEVICES = load("dims.device");
    public static final TableContract LOCATIONS = load("dims.location");
    public static final TableContract REGISTRY_CHANGES = load("dims.registry_changes");

    /** Every lake table's contract, in the order the zones are written. */
    public static final List<TableContract> ALL = List.of(
            REGISTRY_CHANGES,
            DEVICES,
            LOCATIONS,
            CLEANSED_READINGS,
            QUARANTINE_EVENTS,
            READINGS_HOURLY,
            READINGS_DAILY,
            JOB_RUNS);

    /** Loads {@code sensorhouse/schemas/tables/<table>.json}. */
    public static TableContract load(String table) {
        String resource = "sensorhouse/schemas/tables/" + table + ".json";
        try (InputStream in = TableContract.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("table contract " + resource + " is not on the classpath");
            }
            JsonNode root = JSON.readTree(in);
            List<StructField> fields = new ArrayList<>();
            List<Column> columns = new ArrayList<>();
            for (JsonNode column : root.path("columns")) {
                String name = column.path("name").asText();
                DataType type = DataType.fromDDL(column.path("type").asText());
                boolean nullable = column.path("nullable").asBoolean(true);
                List<String> sources = new ArrayList<>();
                column.path("sources").forEach(p -> sources.add(p.asText()));
                fields.add(new StructField(name, type, nullable, Metadata.empty()));
                columns.add(new Column(
                        name,
                        type,
                        nullable,
                        column.path("tracked").asBoolean(false),
                        sources.isEmpty() ? List.of(name) : List.copyOf(sources)));
            }
            List<String> partitions = new ArrayList<>();
            root.path("partitioned_by").forEach(p -> partitions.add(p.asText()));
            List<String> key = new ArrayList<>();
            root.path("key").forEach(p -> key.add(p.asText()));
            for (String k : key) {
                if (fields.stream().noneMatch(f -> f.name().equals(k))) {
                    throw new IllegalStateException(
                            "table contract " + resource + ": key column " + k + " is not a column");
                }
            }
            List<String> stats = new ArrayList<>();
            root.path("stats_columns").forEach(p -> stats.add(p.asText()));
            return new TableContract(
                    root.path("table").asText(),
                    root.path("path").asText(),
                    new StructType(fields.toArray(StructField[]::new)),
                    List.copyOf(partitions),
                    List.copyOf(key),
                    List.copyOf(stats),
                    List.copyOf(columns));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read table contract " + resource, e);
        }
    }

    public String[] columnNames() {
        return schema.fieldNames();
    }

    /** The columns that are not part of the key, in contract order: what a change to a row changes. */
    public List<String> valueColumns() {
        return columns.stream().map(Column::name).filter(c -> !key.contains(c)).toList();
    }

    /** The columns a dimension tracks, in contract order. */
    public List<Column> trackedColumns() {
        return columns.stream().filter(Column::tracked).toList();
    }
}
