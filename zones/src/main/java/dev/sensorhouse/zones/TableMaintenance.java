package dev.sensorhouse.zones;

import com.fasterxml.jackson.databind.JsonNode;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Maintenance of one lake table: what its commits wrote, its size, compaction (OPTIMIZE, optionally
 * Z-ordered), VACUUM and deletes. The decisions (which partitions, which retention) are the caller's.
 *
 * <p>Compaction commits change no data ({@code dataChange=false}): the change data feed the warehouse
 * load reads, and the rows of every version, stay the same.
 */
public final class TableMaintenance {
    private static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";

    private final SparkSession spark;
    private final LakeTable table;

    public TableMaintenance(SparkSession spark, LakeTable table) {
        this.spark = spark;
        this.table = table;
    }

    public LakeTable table() {
        return table;
    }

    /** One commit that changed data, with the partition values (column to value) of the files it added. */
    public record DataCommit(long version, List<Map<String, String>> addedPartitions) {}

    /** Files and bytes of the table's current version. */
    public record Size(long files, long bytes) {}

    /**
     * The commits after {@code afterVersion} up to the current version, read from the commit files;
     * empty when one of them is gone (Delta removed log files past the log retention), so the caller
     * cannot tell which partitions changed.
     */
    public Optional<List<DataCommit>> commitsAfter(long afterVersion) {
        List<DataCommit> commits = new ArrayList<>();
        FileSystem fs;
        Path log = new Path(table.location(), "_delta_log");
        try {
            fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
            long current = table.version();
            for (long v = afterVersion + 1; v <= current; v++) {
                if (!fs.exists(new Path(log, String.format("%020d.json", v)))) {
                    return Optional.empty();
                }
                List<Map<String, String>> added = new ArrayList<>();
                for (JsonNode action : table.commitActions(v)) {
                    JsonNode add = action.get("add");
                    if (add != null && add.path("dataChange").asBoolean(true)) {
                        Map<String, String> values = new LinkedHashMap<>();
                        add.path("partitionValues")
                                .fields()
                                .forEachRemaining(
                                        e -> values.put(e.getKey(), e.getValue().asText()));
                        added.add(values);
                    }
                }
                commits.add(new DataCommit(v, added));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of " + table.location(), e);
        }
        return Optional.of(commits);
    }

    /** The current version's files and bytes (Delta's table detail). */
    public Size size() {
        Row detail = DeltaTable.forPath(spark, table.location()).detail().head();
        return new Size(detail.<Long>getAs("numFiles"), detail.<Long>getAs("sizeInBytes"));
    }

    /**
     * Compacts the files matching {@code where} (a partition predicate; absent: the whole table), Z-ordered
     * by {@code zOrderBy} when given. One commit, or none when there is nothing to compact. Returns the
     * files removed and added.
     */
    public Map<String, Long> optimize(Optional<String> where, List<String> zOrderBy) {
        var builder = DeltaTable.forPath(spark, table.location()).optimize();
        if (where.isPresent()) {
            builder = builder.where(where.get());
        }
        Row metrics = (zOrderBy.isEmpty()
                        ? builder.executeCompaction()
                        : builder.executeZOrderBy(zOrderBy.toArray(String[]::new)))
                .head();
        Row m = metrics.getAs("metrics");
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("files_removed", m.<Long>getAs("numFilesRemoved"));
        out.put("files_added", m.<Long>getAs("numFilesAdded"));
        return out;
    }

    /**
     * Deletes the files no version within {@code retention} references. Delta's own guard refuses less
     * than 7 days; the caller has checked the retention against its readers, so the guard is lifted for
     * this call only.
     */
    public void vacuum(Duration retention) {
        String before = spark.conf().get(RETENTION_CHECK, "true");
        spark.conf().set(RETENTION_CHECK, "false");
        try {
            DeltaTable.forPath(spark, table.location()).vacuum(retention.toMinutes() / 60.0);
        } finally {
            spark.conf().set(RETENTION_CHECK, before);
        }
    }

    /** Deletes the rows matching {@code predicate} in one commit. */
    public void delete(String predicate) {
        DeltaTable.forPath(spark, table.location()).delete(predicate);
    }
}
