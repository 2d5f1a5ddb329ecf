package dev.sensorhouse.zones;

import com.fasterxml.jackson.databind.JsonNode;
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
        return version() >= 0;
    }

    /**
     * Creates the empty table with the contract's schema and partitioning, and the change data feed on,
     * when it does not exist yet; when it exists, adds the contract's columns it lacks (additive
     * migration, each at its contract position; old rows read null there), fails naming the table and
     * column on any other difference (a changed type, or a column the contract does not have), and turns
     * the change data feed on if it is off.
     */
    public LakeTable ensureExists() {
        if (exists()) {
            migrate();
            enableChangeFeed();
        } else {
            DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark)
                    .location(location)
                    .addColumns(contract.schema())
                    .partitionedBy(contract.partitionColumns().toArray(String[]::new));
            if (!contract.statsColumns().isEmpty()) {
                builder = builder.property("delta.dataSkippingStatsColumns", String.join(",", contract.statsColumns()));
            }
            builder.property(CHANGE_FEED, "true").execute();
        }
        return this;
    }

    /** The table property that makes Delta record row-level changes, which warehouse loads read. */
    static final String CHANGE_FEED = "delta.enableChangeDataFeed";

    /** Turns the change data feed on for a table created before it was on (a metadata-only commit). */
    private void enableChangeFeed() {
        List<Row> value = spark.sql(String.format("SHOW TBLPROPERTIES delta.`%s` (%s)", location, CHANGE_FEED))
                .collectAsList();
        if (value.isEmpty() || !"true".equalsIgnoreCase(value.get(0).getString(1))) {
            spark.sql(String.format("ALTER TABLE delta.`%s` SET TBLPROPERTIES (%s = true)", location, CHANGE_FEED));
        }
    }

    /** The table's rows as of a version. */
    public Dataset<Row> readAt(long version) {
        return spark.read().format("delta").option("versionAsOf", version).load(location);
    }

    /**
     * The row-level changes of the versions after {@code afterVersion} up to {@code toVersion}
     * (inclusive), from Delta's change data feed: the table's columns plus {@code _change_type}
     * ({@code insert}, {@code update_preimage}, {@code update_postimage}, {@code delete}) and
     * {@code _commit_version}.
     *
     * @throws IllegalStateException when the feed does not cover the range (it was off at some version
     *     of it, or its files were vacuumed); the caller reads the whole table instead
     */
    public Dataset<Row> changesAfter(long afterVersion, long toVersion) {
        try {
            Dataset<Row> changes = spark.read()
                    .format("delta")
                    .option("readChangeFeed", "true")
                    .option("startingVersion", afterVersion + 1)
                    .option("endingVersion", toVersion)
                    .load(location);
            changes.queryExecution().executedPlan();
            return changes;
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    String.format(
                            "%s: no change data for versions %d..%d: %s",
                            contract.table(), afterVersion + 1, toVersion, e.getMessage()),
                    e);
        }
    }

    /**
     * Whether every commit after {@code afterVersion} up to {@code toVersion} only added rows (appends and
     * insert-only MERGEs: no removed file, no change-data file), read from the commit files themselves.
     */
    public boolean onlyInsertsAfter(long afterVersion, long toVersion) {
        return log().onlyInserts(afterVersion, toVersion);
    }

    private void migrate() {
        org.apache.spark.sql.types.StructType actual =
                spark.read().format("delta").load(location).schema();
        java.util.Set<String> contractColumns = new java.util.HashSet<>(Arrays.asList(contract.columnNames()));
        for (org.apache.spark.sql.types.StructField f : actual.fields()) {
            if (!contractColumns.contains(f.name())) {
                throw new IllegalStateException(String.format(
                        "table %s at %s has column %s, which its contract does not have; migrate or move the table",
                        contract.table(), location, f.name()));
            }
        }
        String previous = null;
        for (org.apache.spark.sql.types.StructField want : contract.schema().fields()) {
            java.util.Optional<org.apache.spark.sql.types.StructField> have = Arrays.stream(actual.fields())
                    .filter(f -> f.name().equals(want.name()))
                    .findFirst();
            if (have.isEmpty()) {
                String position = previous == null ? "FIRST" : "AFTER `" + previous + "`";
                spark.sql(String.format(
                        "ALTER TABLE delta.`%s` ADD COLUMNS (`%s` %s %s)",
                        location, want.name(), want.dataType().sql(), position));
            } else if (!have.get().dataType().equals(want.dataType())) {
                throw new IllegalStateException(String.format(
                        "table %s at %s: column %s is %s, its contract says %s",
                        contract.table(),
                        location,
                        want.name(),
                        have.get().dataType().sql(),
                        want.dataType().sql()));
            }
            previous = want.name();
        }
    }

    /** The table's current rows; an empty Dataset with the contract schema when the table does not exist. */
    public Dataset<Row> read() {
        if (!exists()) {
            return spark.createDataFrame(List.of(), contract.schema());
        }
        return spark.read().format("delta").load(location);
    }

    /**
     * The current Delta version, or -1 when the table does not exist: the newest commit file in
     * {@code _delta_log} (a listing, no Spark job).
     */
    public long version() {
        return log().version();
    }

    /**
     * Rows written by the latest commit, from the {@code numOutputRows} operation metric Delta records in
     * the commit itself: a count independent of the writer's caller.
     */
    private long lastCommitOutputRows() {
        return lastCommitInfo().path("operationMetrics").path("numOutputRows").asLong(0);
    }

    private JsonNode lastCommitInfo() {
        return log().commitInfo(version());
    }

    /**
     * The {@code userMetadata} a commit recorded: the run lifecycle tags every commit with its run id,
     * so a failing run can tell its own commits from another writer's. Empty for an untagged commit.
     */
    public java.util.Optional<String> commitTag(long version) {
        return log().tag(version);
    }

    private DeltaLog log() {
        return new DeltaLog(location, spark.sparkContext().hadoopConfiguration());
    }

    /** Each table's current version by table name, as recorded in a run's {@code table_versions}. */
    public static java.util.Map<String, Long> versions(LakeTable... tables) {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (LakeTable t : tables) {
            m.put(t.contract().table(), t.version());
        }
        return m;
    }

    /** Appends rows in one commit. */
    public void append(Dataset<Row> rows) {
        conform(rows).write().format("delta").mode("append").save(location);
    }

    /**
     * Atomically deletes the rows matching {@code predicate} and inserts {@code rows} in one commit
     * (Delta's replaceWhere). Every inserted row must match the predicate. Re-running the same replace
     * with the same rows leaves the table's content as it was.
     *
     * @return the rows the commit wrote, from Delta's own operation metrics; 0 when Delta made no commit
     *     (nothing to delete and nothing to insert)
     */
    public long replaceWhere(Dataset<Row> rows, String predicate) {
        long before = version();
        conform(rows)
                .write()
                .format("delta")
                .mode("overwrite")
                .option("replaceWhere", predicate)
                .save(location);
        return version() == before ? 0 : lastCommitOutputRows();
    }

    /**
     * Applies a change set in one Delta MERGE commit: each change row whose {@code deleteColumn} is true
     * deletes the target row with the same key; the others replace it or are inserted. The change set
     * should hold only rows that differ from the table (an empty one makes no commit at all), because
     * MERGE rewrites every file holding a matched row and leaves all other files untouched.
     *
     * @param keys the key columns (the contract's names) matched with {@code =}
     * @param targetPredicate an extra condition on the target alias {@code t} (a partition filter such
     *     as {@code t.event_date IN (...)}) so that Delta only reads the files that may match
     * @return rows updated, inserted or deleted, from Delta's operation metrics; 0 when nothing changed
     */
    public long mergeChanges(Dataset<Row> changes, List<String> keys, String targetPredicate, String deleteColumn) {
        ensureExists();
        long before = version();
        java.util.Map<String, String> assignments = assignments();
        DeltaTable.forPath(spark, location)
                .as("t")
                .merge(changes.as("s"), mergeCondition(keys, targetPredicate))
                .whenMatched("s." + deleteColumn)
                .delete()
                .whenMatched()
                .updateExpr(assignments)
                .whenNotMatched("NOT s." + deleteColumn)
                .insertExpr(assignments)
                .execute();
        if (version() == before) {
            return 0;
        }
        JsonNode metrics = lastCommitInfo().path("operationMetrics");
        return metrics.path("numTargetRowsUpdated").asLong(0)
                + metrics.path("numTargetRowsInserted").asLong(0)
                + metrics.path("numTargetRowsDeleted").asLong(0);
    }

    /**
     * Inserts the rows whose keys the table does not hold yet, in one MERGE commit (insert-only, so a
     * row already there is never rewritten): appending the same rows twice adds them once.
     *
     * @return rows inserted, from Delta's operation metrics
     */
    public long insertNew(Dataset<Row> rows, List<String> keys, String targetPredicate) {
        ensureExists();
        long before = version();
        DeltaTable.forPath(spark, location)
                .as("t")
                .merge(conform(rows).as("s"), mergeCondition(keys, targetPredicate))
                .whenNotMatched()
                .insertExpr(assignments())
                .execute();
        return version() == before
                ? 0
                : lastCommitInfo()
                        .path("operationMetrics")
                        .path("numTargetRowsInserted")
                        .asLong(0);
    }

    /** Rows a change set wrote (updated or inserted) and deleted. */
    public record Merged(long written, long deleted) {
        public static final Merged NONE = new Merged(0, 0);

        public long total() {
            return written + deleted;
        }
    }

    /**
     * Counts a change set from {@link TableDiff#changes} (rows to write, rows to delete), MERGEs it in
     * one commit when it is not empty ({@link #mergeChanges}), and checks Delta's own count of the
     * rows the commit changed against it.
     *
     * @throws IllegalStateException when Delta's count differs; the caller restores the table
     */
    public Merged applyChanges(Dataset<Row> changes, List<String> keys, String targetPredicate) {
        Dataset<Row> persisted = changes.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        try {
            Column delete = functions.col(TableDiff.DELETE);
            Row c = persisted
                    .agg(
                            functions.coalesce(
                                    functions.sum(functions.when(delete, 0L).otherwise(1L)), functions.lit(0L)),
                            functions.coalesce(
                                    functions.sum(functions.when(delete, 1L).otherwise(0L)), functions.lit(0L)))
                    .head();
            Merged expected = new Merged(c.getLong(0), c.getLong(1));
            if (expected.total() > 0) {
                long merged = mergeChanges(persisted, keys, targetPredicate, TableDiff.DELETE);
                if (merged != expected.total()) {
                    throw new IllegalStateException(String.format(
                            "%s: MERGE changed %d rows, expected %d written + %d deleted",
                            contract.table(), merged, expected.written(), expected.deleted()));
                }
            }
            return expected;
        } finally {
            persisted.unpersist(false);
        }
    }

    /** A MERGE's condition: the target predicate and key equality between target {@code t} and source {@code s}. */
    private static String mergeCondition(List<String> keys, String targetPredicate) {
        return targetPredicate + " AND "
                + keys.stream().map(k -> "t." + k + " = s." + k).collect(java.util.stream.Collectors.joining(" AND "));
    }

    /** Every contract column set from the source {@code s}. */
    private java.util.Map<String, String> assignments() {
        java.util.Map<String, String> assignments = new java.util.LinkedHashMap<>();
        for (String c : contract.columnNames()) {
            assignments.put(c, "s." + c);
        }
        return assignments;
    }

    /** Restores the table to an earlier version (used to undo a commit whose verification failed). */
    public void restore(long version) {
        if (version >= 0 && version() != version) {
            DeltaTable.forPath(spark, location).restoreToVersion(version);
        }
    }

    private Dataset<Row> conform(Dataset<Row> rows) {
        Column[] columns =
                Arrays.stream(contract.columnNames()).map(functions::col).toArray(Column[]::new);
        return rows.select(columns);
    }
}
