package dev.sensorhouse.dimensions;

import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.runtime.RunCounts;
import java.util.Locale;
import java.util.Map;

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
        Map<String, Long> quarantinedByReason)
        implements RunCounts {

    public static final DimensionsCounts NONE =
            new DimensionsCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());

    @Override
    public boolean reconciles() {
        return recordsIn == changesParsed + recordsQuarantined
                && changesParsed
                        == (changesStored - snapshotDeletes - reassertions) + duplicates + snapshotRowsUnchanged;
    }

    @Override
    public String reconciliation() {
        return String.format(
                Locale.ROOT,
                "records_in %d = changes_parsed %d + records_quarantined %d; changes_parsed = (changes_stored %d"
                        + " - snapshot_deletes %d - reassertions %d) + duplicates %d + snapshot_rows_unchanged %d",
                recordsIn,
                changesParsed,
                recordsQuarantined,
                changesStored,
                snapshotDeletes,
                reassertions,
                duplicates,
                snapshotRowsUnchanged);
    }

    @Override
    public String summary(JobResult<?> r) {
        return String.format(
                Locale.ROOT,
                "dimensions %s (attempt %d): %d files, %,d records (%,d changes, %,d quarantined, %,d duplicates, %,d unchanged snapshot rows), "
                        + "%,d changes stored, %,d items touched; dims/device %,d versions written, %,d deleted; dims/location %,d written, %,d deleted; "
                        + "%,d fact rows re-keyed; %.1f s%n",
                r.runId(),
                r.attempt(),
                files,
                recordsIn,
                changesParsed,
                recordsQuarantined,
                duplicates,
                snapshotRowsUnchanged,
                changesStored,
                itemsTouched,
                deviceVersionsWritten,
                deviceVersionsDeleted,
                locationVersionsWritten,
                locationVersionsDeleted,
                factRowsRekeyed,
                r.seconds());
    }
}
