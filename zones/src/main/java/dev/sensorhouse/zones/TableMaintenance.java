package dev.sensorhouse.zones;

import io.delta.tables.DeltaTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

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
        DeltaLog log = new DeltaLog(table.location(), spark.sparkContext().hadoopConfiguration());
        List<DataCommit> commits = new ArrayList<>();
        long current = log.version();
        for (long v = afterVersion + 1; v <= current; v++) {
            if (!log.has(v)) {
                return Optional.empty();
            }
            commits.add(new DataCommit(v, log.dataAdds(v)));
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
     * this call only. VACUUM lists the table's folders in {@code parallelPartitionDiscovery.parallelism}
     * tasks, 10,000 by default, which costs about 30 s per table on 2 cores whatever its size; the
     * listing gets four tasks per core instead (folders are listed in parallel within a task too).
     */
    public void vacuum(Duration retention) {
        String check = spark.conf().get(RETENTION_CHECK, "true");
        String listing = spark.conf().get(LISTING_PARALLELISM, "10000");
        spark.conf().set(RETENTION_CHECK, "false");
        spark.conf()
                .set(
                        LISTING_PARALLELISM,
                        String.valueOf(4 * spark.sparkContext().defaultParallelism()));
        try {
            DeltaTable.forPath(spark, table.location()).vacuum(retention.toMinutes() / 60.0);
        } finally {
            spark.conf().set(RETENTION_CHECK, check);
            spark.conf().set(LISTING_PARALLELISM, listing);
        }
    }

    /** Deletes the rows matching {@code predicate} in one commit. */
    public void delete(String predicate) {
        DeltaTable.forPath(spark, table.location()).delete(predicate);
    }
}
