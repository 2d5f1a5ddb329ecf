package dev.sensorhouse.dimensions;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import dev.sensorhouse.runtime.Columns;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * The changes one registry snapshot adds to a dimension's history, compared with the versions
 * already stored. A snapshot is a full image of the registry at its instant, so:
 *
 * <ul>
 *   <li>a row whose tracked values differ from the version valid at that instant (or with no such
 *       version) is a change; an equal row is not stored;
 *   <li>an item with a version valid then but no row is deleted at that instant;
 *   <li>a natural key twice in one snapshot: the first row counts, the others are duplicates;
 *   <li>when a later snapshot of the same entity was applied before, the history at that later
 *       instant is re-asserted for the items this one changes, as that snapshot's changes, so a late
 *       snapshot changes only its own day.
 * </ul>
 *
 * <p>Pure: Datasets in, Datasets and counts out.
 */
final class SnapshotChanges {
    private static final String ISO = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'";

    /**
     * A snapshot's changes (log rows: changed rows, deletes, re-assertions) and its counts: rows read,
     * rows changed, duplicate rows, deletes.
     */
    record Result(Dataset<Row> changes, long rows, long changed, long duplicates, long deletes) {}

    private SnapshotChanges() {}

    /**
     * The changes of {@code file}, whose parsed rows are {@code rows}, against the stored versions
     * {@code dims}; {@code later} is the next snapshot of the same entity already applied, if any.
     */
    static Result of(
            RegistryFile file, Dataset<Row> rows, Dataset<Row> dims, Optional<RegistryFile> later, String runId) {
        Dimension dimension = Dimension.of(file.entity());
        Timestamp at = Timestamp.from(file.effectiveAt());
        Dataset<Row> asOf = validAt(dims, at)
                .select(
                        col(dimension.naturalKeyColumn()).as("natural_key"),
                        col("attr_hash").as("_current"));
        Dataset<Row> first = rows.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long all = first.count();
            boolean repeated = !first.groupBy("natural_key")
                    .count()
                    .filter(col("count").gt(1))
                    .isEmpty();
            Dataset<Row> unique = repeated
                    ? first.withColumn(
                                    "_n",
                                    row_number()
                                            .over(Window.partitionBy("natural_key")
                                                    .orderBy("source_line")))
                            .filter(col("_n").equalTo(1))
                            .drop("_n")
                    : first;
            Dataset<Row> changed = unique.join(asOf, Columns.seq(List.of("natural_key")), "left_outer")
                    .filter(col("_current").isNull().or(col("_current").notEqual(col("attr_hash"))))
                    .drop("_current")
                    .localCheckpoint(true);
            Dataset<Row> deletes = ChangeLog.deletes(
                            asOf.join(unique.select("natural_key"), Columns.seq(List.of("natural_key")), "left_anti"),
                            file,
                            file.snapshotChangeId(),
                            at)
                    .localCheckpoint(true);
            long changedCount = changed.count();
            long duplicates = all - (repeated ? unique.count() : all);
            long deleteCount = deletes.count();
            Dataset<Row> out = ChangeLog.rows(changed, runId).unionByName(ChangeLog.rows(deletes, runId));
            if (later.isPresent()) {
                Dataset<Row> keys = changed.select("natural_key").union(deletes.select("natural_key"));
                out = out.unionByName(ChangeLog.rows(reassertions(dimension, dims, later.get(), keys, file), runId));
            }
            return new Result(out, all, changedCount, duplicates, deleteCount);
        } finally {
            first.unpersist(false);
        }
    }

    /**
     * The history at a later, already applied snapshot's instant for some items, as that snapshot's
     * changes: the valid version's tracked values as a full image, or a delete when none is valid.
     * Existing changes with the same id win (insert-only), so this only fills in what that snapshot
     * did not store because it equalled the history then.
     */
    private static Dataset<Row> reassertions(
            Dimension dimension, Dataset<Row> dims, RegistryFile later, Dataset<Row> keys, RegistryFile file) {
        Timestamp at = Timestamp.from(later.effectiveAt());
        List<Column> names = new ArrayList<>();
        List<Column> values = new ArrayList<>();
        for (Dimension.Tracked t : dimension.tracked()) {
            names.add(lit(t.name()));
            values.add(
                    t.kind() == Dimension.Kind.TIMESTAMP
                            ? date_format(col(t.name()), ISO)
                            : col(t.name()).cast("string"));
        }
        Dataset<Row> valid = validAt(dims, at).withColumnRenamed(dimension.naturalKeyColumn(), "natural_key");
        return keys.distinct()
                .join(valid, Columns.seq(List.of("natural_key")), "left_outer")
                .select(
                        lit(file.entity().code()).as("entity"),
                        col("natural_key"),
                        lit(later.snapshotChangeId()).as("change_id"),
                        lit(at).as("effective_at"),
                        when(col("attr_hash").isNull(), lit(Op.DELETE.code()))
                                .otherwise(lit(Op.IMAGE.code()))
                                .as("op"),
                        when(col("attr_hash").isNull(), lit(null).cast("map<string,string>"))
                                .otherwise(map_from_arrays(
                                        array(names.toArray(Column[]::new)), array(values.toArray(Column[]::new))))
                                .as("attributes"),
                        lit(RegistryFile.Source.SNAPSHOT.code()).as("source"),
                        lit(null).cast("string").as("event_id"),
                        lit(file.path()).as("source_file"),
                        lit(0L).as("source_line"));
    }

    /** The versions valid at an instant: {@code valid_from <= at < valid_to}. */
    static Dataset<Row> validAt(Dataset<Row> dims, Timestamp at) {
        return dims.filter(col("valid_from").leq(lit(at)).and(col("valid_to").gt(lit(at))));
    }
}
