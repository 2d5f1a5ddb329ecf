package dev.sensorhouse.zones;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * One Delta table of the lake, bound to its contract. Every write is a single Delta commit, so a
 * reader (or a crashed writer's successor) sees the table either before or after it, never between.
 *
 * <p>Writes select the contract's columns in contract order, so a transformation cannot add, drop or
 * reorder a column by accident.
 */
public final class LakeTable {
  private final SparkSession spark;
  private final TableContract contract;
  private final String location;

  LakeTable(SparkSession spark, TableContract contract, String location) {
    this.spark = spark;
    this.contract = contract;
    this.location = location;
  }

  public TableContract contract() {
    return contract;
  }

  public String location() {
    return location;
  }

  public boolean exists() {
    return DeltaTable.isDeltaTable(spark, location);
  }

  /** Creates the empty table with the contract's schema and partitioning when it does not exist yet. */
  public LakeTable ensureExists() {
    if (!exists()) {
      DeltaTableBuilder builder =
          DeltaTable.createIfNotExists(spark)
              .location(location)
              .addColumns(contract.schema())
              .partitionedBy(contract.partitionColumns().toArray(String[]::new));
      if (!contract.statsColumns().isEmpty()) {
        builder = builder.property("delta.dataSkippingStatsColumns", String.join(",", contract.statsColumns()));
      }
      builder.execute();
    }
    return this;
  }

  /** The table's current rows; an empty Dataset with the contract schema when the table does not exist. */
  public Dataset<Row> read() {
    if (!exists()) {
      return spark.createDataFrame(List.of(), contract.schema());
    }
    return spark.read().format("delta").load(location);
  }

  /** The current Delta version, or -1 when the table does not exist. */
  public long version() {
    if (!exists()) {
      return -1;
    }
    return DeltaTable.forPath(spark, location).history(1).select("version").head().getLong(0);
  }

  /** Rows written by the latest commit, from Delta's own operation metrics (an independent count). */
  public long lastCommitOutputRows() {
    Row row = DeltaTable.forPath(spark, location).history(1).select("operationMetrics").head();
    scala.collection.Map<String, String> metrics = row.getMap(0);
    return metrics.get("numOutputRows").map(Long::parseLong).getOrElse(() -> 0L);
  }

  /** Appends rows in one commit. */
  public void append(Dataset<Row> rows) {
    conform(rows).write().format("delta").mode("append").save(location);
  }

  /**
   * Atomically deletes the rows matching {@code predicate} and inserts {@code rows} in one commit
   * (Delta's replaceWhere). Every inserted row must match the predicate. Re-running the same replace
   * with the same rows leaves the table's content as it was.
   */
  public void replaceWhere(Dataset<Row> rows, String predicate) {
    conform(rows)
        .write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", predicate)
        .save(location);
  }

  /** Restores the table to an earlier version (used to undo a commit whose verification failed). */
  public void restore(long version) {
    if (version >= 0 && version() != version) {
      DeltaTable.forPath(spark, location).restoreToVersion(version);
    }
  }

  private Dataset<Row> conform(Dataset<Row> rows) {
    Column[] columns = Arrays.stream(contract.columnNames()).map(functions::col).toArray(Column[]::new);
    return rows.select(columns);
  }
}
