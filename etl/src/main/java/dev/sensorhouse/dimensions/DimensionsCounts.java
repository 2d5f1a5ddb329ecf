package dev.sensorhouse.dimensions;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a dimensions run did. Every input record (snapshot row or CDC record) is a change or a
 * quarantined record: {@code recordsIn = changesParsed + recordsQuarantined}; a parsed change is
 * stored in {@code dims/registry_changes}, a duplicate of a stored one, or (snapshots) equal to the
 * history at its instant: {@code changesParsed = changesStored + duplicates + snapshotRowsUnchanged}.
 * Snapshot deletes (items missing from a snapshot) and re-assertions (the history a late snapshot
 * must not overwrite) are stored changes that no input record carries: {@code changesStored}
 * counts them separately as {@code snapshotDeletes} and {@code reassertions}, so the first equation
 * uses {@code changesStored - snapshotDeletes - reassertions}.
 */
public record DimensionsCounts(
        long files,
        long recordsIn,
        long changesParsed,
        long recordsQuarantined,
        long duplicates,
        long snapshotRowsUnchanged,
        long changesStored,
        long snapshotDeletes,
        long reassertions,
        long itemsTouched,
        long deviceVersionsWritten,
        long deviceVersionsDeleted,
        long locationVersionsWritten,
        long locationVersionsDeleted,
        long factRowsRekeyed,
        Map<String, Long> quarantinedByReason) {

    public static final DimensionsCounts NONE =
            new DimensionsCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());

    public boolean reconciles() {
        return recordsIn == changesParsed + recordsQuarantined
                && changesParsed
                        == (changesStored - snapshotDeletes - reassertions) + duplicates + snapshotRowsUnchanged;
    }

    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("files", files);
        m.put("records_in", recordsIn);
        m.put("changes_parsed", changesParsed);
        m.put("records_quarantined", recordsQuarantined);
        m.put("duplicates", duplicates);
        m.put("snapshot_rows_unchanged", snapshotRowsUnchanged);
        m.put("changes_stored", changesStored);
        m.put("snapshot_deletes", snapshotDeletes);
        m.put("reassertions", reassertions);
        m.put("items_touched", itemsTouched);
        m.put("device_versions_written", deviceVersionsWritten);
        m.put("device_versions_deleted", deviceVersionsDeleted);
        m.put("location_versions_written", locationVersionsWritten);
        m.put("location_versions_deleted", locationVersionsDeleted);
        m.put("fact_rows_rekeyed", factRowsRekeyed);
        new TreeMap<>(quarantinedByReason).forEach((reason, n) -> m.put("quarantined." + reason, n));
        return m;
    }
}
