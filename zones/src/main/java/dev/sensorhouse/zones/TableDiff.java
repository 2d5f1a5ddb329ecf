package dev.sensorhouse.zones;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The change set that turns stored rows into recomputed rows, in the form {@link
 * LakeTable#mergeChanges} applies: only rows that differ, so a MERGE rewrites no file for rows that
 * stayed the same and an unchanged recompute makes no commit at all. Pure.
 */
public final class TableDiff {
    /** The change-set column that marks a stored row to delete. */
    public static final String DELETE = "_delete";

    private TableDiff() {}

    /**
     * Recomputed rows that are new or differ from the stored row with the same keys in one of {@code
     * values} ({@link #DELETE} false), and stored rows without a recomputed row (the key columns,
     * {@link #DELETE} true, the other columns null). Both inputs must cover the same scope (the same
     * touched buckets or items): a stored row outside the recomputed scope would be deleted.
     */
    public static Dataset<Row> changes(
            Dataset<Row> recomputed, Dataset<Row> stored, List<String> keys, List<String> values) {
        Column join = keys.stream()
                .map(k -> col("r." + k).equalTo(col("s." + k)))
                .reduce(Column::and)
                .orElseThrow();
        Column differs = values.stream()
                .map(v -> not(col("r." + v).eqNullSafe(col("s." + v))))
                .reduce(Column::or)
                .orElseThrow();
        Column recomputedMissing = col("r." + keys.get(0)).isNull();
        Column storedMissing = col("s." + keys.get(0)).isNull();
        Column[] out = Stream.concat(
                        Arrays.stream(recomputed.columns())
                                .map(c -> keys.contains(c)
                                        ? coalesce(col("r." + c), col("s." + c)).as(c)
                                        : col("r." + c).as(c)),
                        Stream.of(recomputedMissing.as(DELETE)))
                .toArray(Column[]::new);
        return recomputed
                .as("r")
                .join(stored.as("s"), join, "full_outer")
                .filter(recomputedMissing.or(storedMissing).or(differs))
                .select(out);
    }
}
