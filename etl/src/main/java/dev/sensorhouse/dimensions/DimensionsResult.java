package dev.sensorhouse.dimensions;

import java.util.Locale;

/** The outcome of one dimensions run, and its summary as the command prints it. */
public record DimensionsResult(String runId, int attempt, DimensionsCounts counts, double seconds) {
    public String summary() {
        DimensionsCounts c = counts;
        return String.format(
                Locale.ROOT,
                "dimensions %s (attempt %d): %d files, %,d records (%,d changes, %,d quarantined, %,d duplicates, %,d unchanged snapshot rows), "
                        + "%,d changes stored, %,d items touched; dims/device %,d versions written, %,d deleted; dims/location %,d written, %,d deleted; "
                        + "%,d fact rows re-keyed; %.1f s%n",
                runId,
                attempt,
                c.files(),
                c.recordsIn(),
                c.changesParsed(),
                c.recordsQuarantined(),
                c.duplicates(),
                c.snapshotRowsUnchanged(),
                c.changesStored(),
                c.itemsTouched(),
                c.deviceVersionsWritten(),
                c.deviceVersionsDeleted(),
                c.locationVersionsWritten(),
                c.locationVersionsDeleted(),
                c.factRowsRekeyed(),
                seconds);
    }
}
