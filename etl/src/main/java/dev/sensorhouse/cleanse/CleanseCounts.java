package dev.sensorhouse.cleanse;

import dev.sensorhouse.runtime.JobResult;
import dev.sensorhouse.runtime.RunCounts;
import java.util.Locale;
import java.util.Map;

/**
 * What one cleanse run did with its records. Every raw record (a line, or one JSON object of a line
 * holding several; the unreadable rest of a damaged file counts as one) is one cleansed event, one
 * quarantined record or one duplicate: {@code linesIn = eventsCleansed + linesQuarantined + duplicates}.
 * Blank lines hold no record and are only counted ({@code blankLines}); {@code concatenatedLines}
 * counts the lines that held more than one record, {@code filesUnreadable} the files whose rest could
 * not be read, {@code filesSkippedByLookback} the new or changed raw files an incremental run found in
 * arrival hours older than its bookmark minus {@code --lookback} and did not read.
 * {@code readingsUnknownDevice} counts the cleansed readings that got the unknown-member device key
 * (no {@code dims/device} version valid at their event time); they are kept.
 */
public record CleanseCounts(
        long files,
        long linesIn,
        long eventsCleansed,
        long linesQuarantined,
        long duplicates,
        long readingsCleansed,
        long readingsQuarantined,
        long readingsUnknownDevice,
        long quarantineRows,
        long blankLines,
        long concatenatedLines,
        long filesUnreadable,
        long filesSkippedByLookback,
        Map<String, Long> quarantineRowsByReason)
        implements RunCounts {

    public static final CleanseCounts NONE = new CleanseCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());

    /** These counts with the number of files skipped by the lookback. */
    public CleanseCounts withFilesSkippedByLookback(long n) {
        return new CleanseCounts(
                files,
                linesIn,
                eventsCleansed,
                linesQuarantined,
                duplicates,
                readingsCleansed,
                readingsQuarantined,
                readingsUnknownDevice,
                quarantineRows,
                blankLines,
                concatenatedLines,
                filesUnreadable,
                n,
                quarantineRowsByReason);
    }

    @Override
    public boolean reconciles() {
        return linesIn == eventsCleansed + linesQuarantined + duplicates;
    }

    @Override
    public String reconciliation() {
        return String.format(
                Locale.ROOT,
                "lines_in %d != events_cleansed %d + lines_quarantined %d + duplicates %d",
                linesIn,
                eventsCleansed,
                linesQuarantined,
                duplicates);
    }

    @Override
    public String summary(JobResult<?> r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "cleanse run %s (attempt %d)%n", r.runId(), r.attempt()));
        line(s, "files", files);
        line(s, "lines in", linesIn);
        line(s, "events cleansed", eventsCleansed);
        line(s, "lines quarantined", linesQuarantined);
        line(s, "duplicates", duplicates);
        line(s, "readings cleansed", readingsCleansed);
        line(s, "readings quarantined", readingsQuarantined);
        line(s, "unknown-device readings", readingsUnknownDevice);
        line(s, "blank lines", blankLines);
        line(s, "concatenated lines", concatenatedLines);
        line(s, "unreadable files", filesUnreadable);
        line(s, "skipped by lookback", filesSkippedByLookback);
        s.append(String.format(Locale.ROOT, "  quarantine rows by reason:%n"));
        new java.util.TreeMap<>(quarantineRowsByReason)
                .forEach((reason, n) -> s.append(String.format(Locale.ROOT, "    %-20s %,14d%n", reason, n)));
        s.append(String.format(Locale.ROOT, "  %-22s %14.1f%n", "seconds", r.seconds()));
        s.append(String.format(Locale.ROOT, "  %-22s %,14.0f%n", "events per second", r.perSecond(linesIn)));
        return s.toString();
    }

    private static void line(StringBuilder s, String label, long n) {
        s.append(String.format(Locale.ROOT, "  %-22s %,14d%n", label, n));
    }
}
