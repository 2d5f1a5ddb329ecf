package dev.sensorhouse.maintain;

import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.RawFile;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The retention rules of {@code maintain}, pure: what may be deleted, decided by the lake's own data
 * time, never the wall clock.
 *
 * <p>The reference instant is the newest arrival hour a successful cleanse covered: a raw file or a
 * quarantine partition is old when its arrival is more than the retention before it. So a lake whose
 * pipeline stopped keeps everything its pipeline has not caught up with, however long the stop.
 */
public final class Retention {
    private Retention() {}

    /**
     * The raw files a successful cleanse covered (their paths are in the {@code input_files} of a
     * SUCCEEDED cleanse run), ordered by arrival hour.
     */
    public static List<RawFile> cleansed(Collection<RawFile> files, List<JobRun> history, String cleanseJob) {
        Set<String> covered = new HashSet<>();
        history.stream()
                .filter(r -> r.job().equals(cleanseJob) && r.status() == JobRun.Status.SUCCEEDED)
                .forEach(r -> covered.addAll(r.inputFiles()));
        return files.stream().filter(f -> covered.contains(f.path())).sorted().toList();
    }

    /** The newest arrival hour among the cleansed files: the reference of every retention. */
    public static Optional<Instant> reference(List<RawFile> cleansed) {
        return cleansed.stream().map(RawFile::arrivalHour).max(Comparator.naturalOrder());
    }

    /**
     * The cleansed raw files whose arrival hour ends more than {@code retention} before the reference
     * hour's start. A file no successful cleanse covered is never returned, whatever its age.
     */
    public static List<RawFile> expiredRawFiles(List<RawFile> cleansed, Duration retention) {
        Optional<Instant> reference = reference(cleansed);
        if (reference.isEmpty()) {
            return List.of();
        }
        Instant cutoff = reference.get().minus(retention);
        return cleansed.stream()
                .filter(f -> !f.arrivalHour().plus(Duration.ofHours(1)).isAfter(cutoff))
                .toList();
    }

    /**
     * The quarantine arrival dates whose whole day ends more than {@code retention} before the
     * reference instant (none without a reference).
     */
    public static List<LocalDate> expiredQuarantineDates(
            Collection<LocalDate> dates, Optional<Instant> reference, Duration retention) {
        if (reference.isEmpty()) {
            return List.of();
        }
        Instant cutoff = reference.get().minus(retention);
        return dates.stream()
                .filter(d ->
                        !d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(cutoff))
                .sorted()
                .toList();
    }

    /**
     * The VACUUM retention: the configured one, which must not be below the longest time a reader may
     * need a file a newer version no longer references.
     *
     * @throws IllegalArgumentException naming {@code --vacuum-retention} when it is below that
     */
    public static Duration vacuum(Duration configured, Duration longestReader) {
        if (configured.compareTo(longestReader) < 0) {
            throw new IllegalArgumentException("--vacuum-retention " + configured.toHours()
                    + "h is below the longest time a reader may need old files (" + longestReader.toHours()
                    + "h: a warehouse load reading the change feed since its last load, a job restoring a table "
                    + "to its version before the run); give at least that");
        }
        return configured;
    }
}
