package dev.sensorhouse.cleanse;

import dev.sensorhouse.runtime.Progress;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.RawFile;
import dev.sensorhouse.zones.RawZone;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The raw files a cleanse run processes, the bookmark it started from and the one it leaves, and the
 * new or changed files in arrival hours older than its lookback, which it reports and does not read.
 *
 * <p>A file counts as cleansed when the newest successful run that read it recorded the size it has
 * now ({@code control/job_runs.input_bytes}); a file that grew (appended lines) or was replaced by one
 * of another size is read again, whole, and its rows replaced. Runs recorded before sizes were count
 * as having read the present size.
 */
record RawSelection(
        List<RawFile> files, Optional<Instant> bookmark, Optional<Instant> watermark, List<RawFile> skipped) {

    /** The selection of a run with {@code config}, after the given successful cleanse runs. */
    static RawSelection of(RawZone raw, CleanseConfig config, List<JobRun> succeeded) {
        Optional<Instant> bookmark = bookmark(succeeded);
        if (!config.incremental()) {
            return new RawSelection(raw.list(config.from(), config.to()), bookmark, bookmark, List.of());
        }
        Optional<Instant> from = bookmark.map(b -> b.minus(config.lookback()).truncatedTo(ChronoUnit.HOURS));
        List<RawFile> older = from.isPresent() ? raw.list(Optional.empty(), from) : List.of();
        return pending(raw.list(from, Optional.empty()), older, succeeded, bookmark);
    }

    Optional<Instant> windowStart() {
        return files.stream().map(RawFile::arrivalHour).min(Comparator.naturalOrder());
    }

    Optional<Instant> windowEnd() {
        return files.stream()
                .map(RawFile::arrivalHour)
                .max(Comparator.naturalOrder())
                .map(h -> h.plus(Duration.ofHours(1)));
    }

    /** Files listed in hours before the lookback that are new or changed: named in the progress log. */
    void reportSkipped(Progress progress, Duration lookback) {
        if (skipped().isEmpty()) {
            return;
        }
        progress.step(
                "%d new or changed raw files are in arrival hours before the bookmark minus --lookback %s and are"
                        + " not read; cleanse them with --from/--to (or a longer --lookback):",
                skipped().size(), lookback);
        int shown = Math.min(skipped().size(), SKIPPED_SHOWN);
        for (RawFile f : skipped().subList(0, shown)) {
            progress.step("  skipped %s (%,d bytes)", f.path(), f.bytes());
        }
        if (shown < skipped().size()) {
            progress.step("  ... and %d more", skipped().size() - shown);
        }
    }

    /** Skipped files named one by one in the progress log; the rest are counted. */
    static final int SKIPPED_SHOWN = 100;

    /** The incremental bookmark: the newest arrival hour covered by a successful incremental run. */
    static Optional<Instant> bookmark(List<JobRun> succeeded) {
        return succeeded.stream()
                .filter(r -> r.mode().equals("incremental"))
                .map(JobRun::watermark)
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder());
    }

    /**
     * The listed files (from the bookmark hour minus the lookback on) that no successful run has
     * processed at their present size, and the same among the older files (skipped). The new bookmark
     * is the newest hour listed: files still arriving in that hour are picked up next time.
     */
    static RawSelection pending(
            List<RawFile> listed, List<RawFile> older, List<JobRun> succeeded, Optional<Instant> bookmark) {
        Map<String, Long> done = cleansedSizes(succeeded);
        List<RawFile> unread =
                listed.stream().filter(f -> !cleansed(done, f)).sorted().toList();
        List<RawFile> skipped =
                older.stream().filter(f -> !cleansed(done, f)).sorted().toList();
        Optional<Instant> newest = listed.stream().map(RawFile::arrivalHour).max(Comparator.naturalOrder());
        Optional<Instant> watermark =
                newest.isPresent() && bookmark.isPresent() && bookmark.get().isAfter(newest.get())
                        ? bookmark
                        : newest.or(() -> bookmark);
        return new RawSelection(unread, bookmark, watermark, skipped);
    }

    /**
     * The size each raw file had when a successful run last cleansed it; -1 when that run recorded no
     * sizes (rows written before sizes were), which counts as the present size.
     */
    static Map<String, Long> cleansedSizes(List<JobRun> succeeded) {
        Map<String, Long> sizes = new HashMap<>();
        for (JobRun r : succeeded) {
            for (String path : r.inputFiles()) {
                sizes.put(path, r.inputBytes().getOrDefault(path, -1L));
            }
        }
        return sizes;
    }

    private static boolean cleansed(Map<String, Long> done, RawFile f) {
        Long size = done.get(f.path());
        return size != null && (size < 0 || size == f.bytes());
    }
}
