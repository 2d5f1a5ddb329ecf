package dev.sensorhouse.maintain;

import dev.sensorhouse.zones.TableMaintenance.DataCommit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which partitions of a table {@code maintain} compacts, pure: only those a data-changing commit wrote
 * since the table version the last successful maintenance run recorded. Compaction commits themselves
 * change no data ({@code dataChange=false}) and are not counted, so a rerun finds nothing to do.
 */
public final class Compaction {
    private Compaction() {}

    /** What to compact in one table. */
    public sealed interface Plan permits Nothing, WholeTable, Partitions {}

    /** No data change since the last maintenance. */
    public record Nothing() implements Plan {}

    /** An unpartitioned table that changed: compacted whole. */
    public record WholeTable() implements Plan {}

    /** The partition values (of {@code column}) that changed, sorted. */
    public record Partitions(String column, Set<String> values) implements Plan {}

    /**
     * The plan for a table partitioned by {@code partitionColumn} (empty: unpartitioned) from its
     * data-changing commits ({@link dev.sensorhouse.zones.TableMaintenance#commitsAfter}) after {@code
     * afterVersion} (absent: every commit, the table was never maintained).
     */
    public static Plan plan(List<DataCommit> commits, Optional<Long> afterVersion, Optional<String> partitionColumn) {
        TreeSet<String> values = new TreeSet<>();
        boolean changed = false;
        for (DataCommit c : commits) {
            if (afterVersion.isPresent() && c.version() <= afterVersion.get()) {
                continue;
            }
            for (Map<String, String> partition : c.addedPartitions()) {
                changed = true;
                partitionColumn.map(partition::get).ifPresent(values::add);
            }
        }
        if (!changed) {
            return new Nothing();
        }
        return partitionColumn
                .<Plan>map(column -> new Partitions(column, values))
                .orElseGet(WholeTable::new);
    }
}
