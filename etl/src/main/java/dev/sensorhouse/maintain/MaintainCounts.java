package dev.sensorhouse.maintain;

import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.runtime.RunCounts;
import java.util.Locale;

/**
 * What a maintenance run did: tables and partitions compacted, the files compaction removed and added,
 * the quarantine arrival dates and raw files (with their bytes) the retention deleted.
 */
public record MaintainCounts(
        long tablesCompacted,
        long partitionsCompacted,
        long filesRemoved,
        long filesAdded,
        long quarantineDatesDeleted,
        long rawFilesDeleted,
        long rawBytesDeleted)
        implements RunCounts {
    public static final MaintainCounts NONE = new MaintainCounts(0, 0, 0, 0, 0, 0, 0);

    @Override
    public String summary(JobResult<?> r) {
        return String.format(
                Locale.ROOT,
                "maintain %s (attempt %d): %d tables compacted (%d partitions, %,d files into %,d), "
                        + "%d quarantine dates deleted, %,d raw files deleted (%,d bytes), %.1f s%n",
                r.runId(),
                r.attempt(),
                tablesCompacted,
                partitionsCompacted,
                filesRemoved,
                filesAdded,
                quarantineDatesDeleted,
                rawFilesDeleted,
                rawBytesDeleted,
                r.seconds());
    }
}
