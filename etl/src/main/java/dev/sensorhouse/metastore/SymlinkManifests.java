package dev.sensorhouse.metastore;

import io.delta.tables.DeltaTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Symlink manifests of a Delta table, what Redshift Spectrum (and Presto before native Delta readers)
 * reads instead of the Delta log: {@code <table>/_symlink_format_manifest/[<partition>/]manifest}, one
 * data file URI per line, exactly the files of the table's current version.
 *
 * <p>{@link #keepCurrent} turns {@code delta.compatibility.symlinkFormatManifest.enabled} on (a
 * metadata-only commit, once), so that every later commit rewrites the manifests of the partitions it
 * changed, and then regenerates all of them (a writer killed between its commit and the manifest update
 * leaves them stale until the next commit or regeneration).
 *
 * <p>Danger: manifests cannot describe deletion vectors (a file's deleted rows) or column mapping
 * (physical column names differ from the logical ones); Delta refuses to generate them then, and so does
 * {@link #refusal} before anything is written.
 */
public final class SymlinkManifests {
    /** The table property that keeps manifests current on every commit. */
    public static final String ENABLED = "delta.compatibility.symlinkFormatManifest.enabled";

    /** The folder under the table's location that holds the manifests. */
    public static final String FOLDER = "_symlink_format_manifest";

    private SymlinkManifests() {}

    /** The table's properties as Delta records them. */
    static Map<String, String> properties(SparkSession spark, String location) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Row r : spark.sql(String.format("SHOW TBLPROPERTIES delta.`%s`", location))
                .collectAsList()) {
            out.put(r.getString(0), r.getString(1));
        }
        return out;
    }

    /**
     * Why manifests cannot be kept for a table with these properties (deletion vectors or column mapping
     * on), or empty when they can.
     */
    public static java.util.Optional<String> refusal(Map<String, String> properties) {
        List<String> reasons = new java.util.ArrayList<>();
        if ("true".equalsIgnoreCase(properties.getOrDefault("delta.enableDeletionVectors", "false"))) {
            reasons.add("deletion vectors are on (delta.enableDeletionVectors = true)");
        }
        String mapping =
                properties.getOrDefault("delta.columnMapping.mode", "none").toLowerCase(Locale.ROOT);
        if (!mapping.equals("none")) {
            reasons.add("column mapping is on (delta.columnMapping.mode = " + mapping + ")");
        }
        return reasons.isEmpty()
                ? java.util.Optional.empty()
                : java.util.Optional.of(String.join(" and ", reasons)
                        + ": symlink manifests cannot describe it, so Redshift Spectrum cannot read this table");
    }

    /**
     * Makes the table keep its manifests current and regenerates them now; fails naming the table when
     * {@link #refusal} says it cannot.
     *
     * @return whether this call turned the property on (false: it already was)
     */
    public static boolean keepCurrent(SparkSession spark, String table, String location) {
        Map<String, String> properties = properties(spark, location);
        java.util.Optional<String> refusal = refusal(properties);
        if (refusal.isPresent()) {
            throw new IllegalStateException("table " + table + " at " + location + ": " + refusal.get());
        }
        boolean enabling = !"true".equalsIgnoreCase(properties.get(ENABLED));
        if (enabling) {
            spark.sql(String.format("ALTER TABLE delta.`%s` SET TBLPROPERTIES ('%s' = 'true')", location, ENABLED));
        }
        DeltaTable.forPath(spark, location).generate("symlink_format_manifest");
        return enabling;
    }
}
