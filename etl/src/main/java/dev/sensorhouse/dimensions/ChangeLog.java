package dev.sensorhouse.dimensions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;

import dev.sensorhouse.runtime.Columns;
import dev.sensorhouse.zones.TableContract;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The rows of {@code dims/registry_changes}, the change log every version of a dimension is folded
 * from, and the pure steps that make them. A change is identified by its key in the table contract
 * (entity, natural key, change id), so storing the same change twice adds nothing.
 */
final class ChangeLog {
    /** The change log's key columns, from its contract. */
    static final List<String> KEY = TableContract.REGISTRY_CHANGES.key();

    private ChangeLog() {}

    /** Rows in the shape of {@code dims/registry_changes}, tagged with the run that stored them. */
    static Dataset<Row> rows(Dataset<Row> changes, String runId) {
        return changes.withColumn("run_id", lit(runId))
                .select(Columns.of(Arrays.asList(TableContract.REGISTRY_CHANGES.columnNames())));
    }

    /**
     * The CDC changes to store from a batch: the first copy (by file and line) of each change, minus
     * the changes the log already holds from other files ({@code stored}: the log's key columns and
     * {@code source_file}). A rerun of the same files finds its own rows and stores them again, which
     * the insert-only MERGE ignores.
     */
    static Dataset<Row> newCdcChanges(Dataset<Row> rows, Dataset<Row> stored, List<String> batchFiles) {
        Dataset<Row> prior = stored.join(rows.select(Columns.of(KEY)).distinct(), Columns.seq(KEY), "left_semi")
                .filter(not(col("source_file").isin(batchFiles.toArray())))
                .select(Columns.of(KEY));
        return rows.withColumn(
                        "_n",
                        row_number().over(Window.partitionBy(Columns.of(KEY)).orderBy("source_file", "source_line")))
                .filter(col("_n").equalTo(1))
                .drop("_n")
                .join(prior, Columns.seq(KEY), "left_anti");
    }

    /** A delete change of some items ({@code natural_key}) at an instant, as a snapshot stores it. */
    static Dataset<Row> deletes(Dataset<Row> keys, RegistryFile file, String changeId, Timestamp at) {
        return keys.select(
                lit(file.entity().code()).as("entity"),
                col("natural_key"),
                lit(changeId).as("change_id"),
                lit(at).as("effective_at"),
                lit(Op.DELETE.code()).as("op"),
                lit(null).cast("map<string,string>").as("attributes"),
                lit(file.source().code()).as("source"),
                lit(null).cast("string").as("event_id"),
                lit(file.path()).as("source_file"),
                lit(0L).as("source_line"));
    }

    /** The items whose changes came from some files, with the earliest such change ({@code since}). */
    static Dataset<Row> touchedItems(Dataset<Row> log, List<String> files) {
        Column fromFiles = col("source_file").isin(files.toArray());
        return log.filter(fromFiles)
                .groupBy("entity", "natural_key")
                .agg(min("effective_at").as("since"));
    }
}
