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
 * name, path under the lake root, columns, partition columns, and the columns Delta keeps min/max
 * statistics of for data skipping (empty: Delta's default, the first 32 columns). The JSON files are the one place a
 * table's shape is written down; code and tests take the schema from here.
 */
public record TableContract(String table, String path, StructType schema, List<String> partitionColumns, List<String> statsColumns) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static final TableContract CLEANSED_READINGS = load("cleansed.readings");
  public static final TableContract QUARANTINE_EVENTS = load("quarantine.events");
  public static final TableContract JOB_RUNS = load("control.job_runs");
  public static final TableContract READINGS_HOURLY = load("aggregated.readings_hourly");
  public static final TableContract READINGS_DAILY = load("aggregated.readings_daily");

  /** Loads {@code sensorhouse/schemas/tables/<table>.json}. */
  public static TableContract load(String table) {
    String resource = "sensorhouse/schemas/tables/" + table + ".json";
    try (InputStream in = TableContract.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("table contract " + resource + " is not on the classpath");
      }
      JsonNode root = JSON.readTree(in);
      List<StructField> fields = new ArrayList<>();
      for (JsonNode column : root.path("columns")) {
        DataType type = DataType.fromDDL(column.path("type").asText());
        boolean nullable = column.path("nullable").asBoolean(true);
        fields.add(new StructField(column.path("name").asText(), type, nullable, Metadata.empty()));
      }
      List<String> partitions = new ArrayList<>();
      root.path("partitioned_by").forEach(p -> partitions.add(p.asText()));
      List<String> stats = new ArrayList<>();
      root.path("stats_columns").forEach(p -> stats.add(p.asText()));
      return new TableContract(
          root.path("table").asText(),
          root.path("path").asText(),
          new StructType(fields.toArray(StructField[]::new)),
          List.copyOf(partitions),
          List.copyOf(stats));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read table contract " + resource, e);
    }
  }

  public String[] columnNames() {
    return schema.fieldNames();
  }
}
