package dev.sensorhouse.cleanse;

import static org.apache.spark.sql.functions.*;

import dev.sensorhouse.dimensions.Enrichment;
import dev.sensorhouse.events.RawEventValidator;
import dev.sensorhouse.quarantine.ReasonCode;
import dev.sensorhouse.runtime.AuditedJob;
import dev.sensorhouse.runtime.JobFailedException;
import dev.sensorhouse.runtime.Progress;
import dev.sensorhouse.runtime.RunContext;
import dev.sensorhouse.runtime.RunScope;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.JobRuns;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.RawFile;
import dev.sensorhouse.zones.SqlPredicates;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;

/**
 * Cleanses raw sensor events into {@code cleansed/readings} and {@code quarantine/events}.
 *
 * <ol>
 *   <li>Select the raw files: those of the window, or (incremental) those in arrival hours from the
 *       bookmark minus {@code --lookback} on that no successful run has cleansed at their present
 *       size (new files, and files that grew or were replaced since). New or changed files in older
 *       hours are reported (count in the run row, paths in the progress log), not read.
 *   <li>Read every record of the files and validate it ({@link RawReader#validated}) and keep the
 *       result in memory; a damaged file gives its records up to the damage and one
 *       {@code unreadable_file} row for the rest.
 *   <li>Find duplicates within the run and against events already cleansed by other runs.
 *   <li>Give each event the keys of the {@code dims/device} and {@code dims/location} versions valid
 *       at its event time ({@link Enrichment}; the unknown member, -1, when there is none).
 *   <li>Count, and check that every line is accounted for before anything is written.
 *   <li>Replace the selected files' rows in {@code cleansed/readings}, then in
 *       {@code quarantine/events}: one Delta commit each, so a rerun or a successor of a crashed run
 *       rewrites the same rows instead of adding copies.
 *   <li>Check the written row counts against Delta's commit metrics; restore both tables on a mismatch.
 *   <li>Append the run's row to {@code control/job_runs}; that row moves the bookmark.
 * </ol>
 *
 * <p>A file is read up to the size it was listed with, so its rows and the run id (which hashes each
 * file's path and size) always describe the same bytes, even while a writer appends to it.
 *
 * <p>Dangers: a raw file added to an arrival hour older than the bookmark minus {@code --lookback} is
 * only reported, and picked up by a {@code --from/--to} window; a file replaced by one of exactly the
 * same size is not noticed (sizes, not contents, are compared); listing the older hours to report
 * skipped files reads the whole raw zone's listing on every incremental run.
 */
public final class CleanseJob extends AuditedJob<RawSelection, CleanseCounts> {
    public static final String JOB = "cleanse";

    private final CleanseConfig config;

    public CleanseJob(Lake lake, CleanseConfig config, String args) {
        super(lake, JOB, args);
        this.config = config;
    }

    @Override
    protected RawSelection select(List<JobRun> history) {
        return RawSelection.of(lake.raw(), config, JobRuns.succeeded(history, JOB));
    }

    @Override
    protected List<String> identity(RawSelection selection) {
        List<String> parts = new ArrayList<>();
        parts.add(config.catalog().fingerprint());
        parts.add(config.limits().toString());
        selection.files().forEach(f -> parts.add(f.path() + "@" + f.bytes()));
        return parts;
    }

    @Override
    protected String describe(RawSelection selection) {
        long bytes = selection.files().stream().mapToLong(RawFile::bytes).sum();
        return String.format(
                java.util.Locale.ROOT,
                "%d raw files, %,d bytes, %s",
                selection.files().size(),
                bytes,
                config.incremental()
                        ? "incremental from "
                                + selection.bookmark().map(Instant::toString).orElse("the beginning")
                        : "window " + config.from().get() + " .. " + config.to().get());
    }

    @Override
    protected List<LakeTable> tables() {
        return List.of(lake.cleansedReadings(), lake.quarantineEvents());
    }

    @Override
    protected CleanseCounts none() {
        return CleanseCounts.NONE;
    }

    @Override
    protected RunScope scope(RawSelection selection) {
        return new RunScope(
                config.incremental() ? RunScope.INCREMENTAL : RunScope.WINDOW,
                config.incremental() ? selection.windowStart() : config.from(),
                config.incremental() ? selection.windowEnd() : config.to(),
                selection.watermark(),
                selection.files().stream().map(RawFile::path).toList(),
                selection.files().stream()
                        .collect(java.util.stream.Collectors.toMap(
                                RawFile::path, RawFile::bytes, (a, b) -> a, java.util.TreeMap::new)));
    }

    @Override
    protected CleanseCounts process(RawSelection selection, RunContext run) {
        selection.reportSkipped(run.progress(), config.lookback());
        CleanseCounts counts = selection.files().isEmpty() ? CleanseCounts.NONE : cleanse(selection, run);
        return counts.withFilesSkippedByLookback(selection.skipped().size());
    }

    private CleanseCounts cleanse(RawSelection selection, RunContext run) {
        String runId = run.runId();
        Progress progress = run.progress();
        LakeTable cleansed = lake.cleansedReadings();
        LakeTable quarantine = lake.quarantineEvents();
        List<RawFile> files = selection.files();
        JavaRDD<InternalRow> validatedRows = RawReader.validated(
                        lake,
                        files,
                        new RawEventValidator(config.catalog(), config.limits()),
                        config.limits().maxRecordBytes())
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> validated = Cleanse.asDataset(lake.spark(), validatedRows);
        try {
            run.stage("read and validate " + files.size() + " raw files");
            Column eventUs = when(not(col("line_rejected")), col("event_us"));
            List<Row> perFile = validated
                    .groupBy("source_file")
                    .agg(
                            sum(when(col("source_record").equalTo(1), 1L).otherwise(0L)),
                            max("source_line"),
                            min(eventUs),
                            max(eventUs),
                            sum(when(col("blank_line"), 0L).otherwise(1L)),
                            sum(when(col("blank_line"), 1L).otherwise(0L)),
                            sum(when(col("source_record").equalTo(2), 1L).otherwise(0L)))
                    .collectAsList();
            long linesIn = 0;
            long blankLines = 0;
            long concatenatedLines = 0;
            long firstEventUs = Long.MAX_VALUE;
            long lastEventUs = Long.MIN_VALUE;
            for (Row f : perFile) {
                // Every line up to the last read has a row whose record is its first (ValidatedRows).
                if (f.getLong(1) != f.getLong(2)) {
                    throw new JobFailedException("line accounting failed for " + f.getString(0) + ": " + f.getLong(1)
                            + " lines have rows, the last line is " + f.getLong(2) + "; nothing written");
                }
                linesIn += f.getLong(5);
                blankLines += f.getLong(6);
                concatenatedLines += f.getLong(7);
                if (!f.isNullAt(3)) {
                    firstEventUs = Math.min(firstEventUs, f.getLong(3));
                    lastEventUs = Math.max(lastEventUs, f.getLong(4));
                }
            }
            List<Date> eventDates = datesBetween(firstEventUs, lastEventUs);
            progress.step(
                    "validated %,d records of %d files (%,d blank lines, %,d concatenated lines); events on %d dates",
                    linesIn, perFile.size(), blankLines, concatenatedLines, eventDates.size());

            run.stage("deduplicate on event_id");
            List<Cleanse.Copy> losers =
                    Cleanse.losers(contestedCopies(validated, priorEventIds(cleansed, eventDates, files)));
            Dataset<Row> marked = Cleanse.markDuplicates(validated, losers);
            Dataset<Row> keyed = Enrichment.withKeys(
                            marked.withColumn("_event_ts", timestamp_micros(col("event_us"))),
                            "_event_ts",
                            lake.devices().read(),
                            lake.locations().read())
                    .drop("_event_ts");
            Row c = keyed.agg(
                            count(lit(1)),
                            sum(when(col("line_rejected").and(not(col("blank_line"))), 1L)
                                    .otherwise(0L)),
                            sum(when(col("duplicate"), 1L).otherwise(0L)),
                            sum(when(not(col("line_rejected")).and(not(col("duplicate"))), 1L)
                                    .otherwise(0L)),
                            sum(when(not(col("line_rejected")).and(not(col("duplicate"))), size(col("readings")))
                                    .otherwise(0)),
                            sum(when(not(col("line_rejected")).and(not(col("duplicate"))), size(col("rejects")))
                                    .otherwise(0)),
                            sum(when(
                                            not(col("line_rejected"))
                                                    .and(not(col("duplicate")))
                                                    .and(col("device_key").equalTo(Enrichment.UNKNOWN)),
                                            size(col("readings")))
                                    .otherwise(0)))
                    .head();
            Dataset<Row> quarantineRows = Cleanse.quarantine(marked, runId);
            Map<String, Long> byReason = new java.util.TreeMap<>();
            for (Row r : quarantineRows.groupBy("reason_code").count().collectAsList()) {
                byReason.put(r.getString(0), r.getLong(1));
            }
            CleanseCounts counts = new CleanseCounts(
                    files.size(),
                    linesIn,
                    c.getLong(3),
                    c.getLong(1),
                    c.getLong(2),
                    c.getLong(4),
                    c.getLong(5),
                    c.isNullAt(6) ? 0 : c.getLong(6),
                    byReason.values().stream().mapToLong(Long::longValue).sum(),
                    blankLines,
                    concatenatedLines,
                    byReason.getOrDefault(ReasonCode.UNREADABLE_FILE.code(), 0L),
                    0,
                    byReason);
            progress.step(
                    "%,d events, %,d duplicates, %,d readings",
                    counts.eventsCleansed(), counts.duplicates(), counts.readingsCleansed());
            if (c.getLong(0) != linesIn + blankLines || !counts.reconciles()) {
                throw new JobFailedException(String.format(
                        "reconciliation failed, nothing written: lines_in %d (%d rows, %d blank lines) != events_cleansed %d + lines_quarantined %d + duplicates %d",
                        counts.linesIn(),
                        c.getLong(0),
                        blankLines,
                        counts.eventsCleansed(),
                        counts.linesQuarantined(),
                        counts.duplicates()));
            }

            run.stage("write cleansed/readings");
            long readingsWritten =
                    cleansed.replaceWhere(Cleanse.readings(Cleanse.events(keyed), runId), cleansedPredicate(files));
            progress.step("committed cleansed/readings version %d", cleansed.version());
            run.failpoint("after-readings-commit");
            run.stage("write quarantine/events");
            long rejectsWritten = quarantine.replaceWhere(quarantineRows, quarantinePredicate(files));
            progress.step("committed quarantine/events version %d", quarantine.version());
            run.failpoint("after-quarantine-commit");

            if (readingsWritten != counts.readingsCleansed() || rejectsWritten != counts.quarantineRows()) {
                throw new JobFailedException(String.format(
                        "written rows do not match the counts (readings %d written, %d expected; quarantine %d written, %d expected); tables restored",
                        readingsWritten, counts.readingsCleansed(), rejectsWritten, counts.quarantineRows()));
            }
            return counts;
        } finally {
            validatedRows.unpersist(false);
        }
    }

    /** The UTC dates from the first to the last event time (empty when there is no event). */
    private static List<Date> datesBetween(long firstUs, long lastUs) {
        List<Date> dates = new ArrayList<>();
        if (firstUs > lastUs) {
            return dates;
        }
        LocalDate last = LocalDate.ofInstant(
                Instant.EPOCH.plus(lastUs, java.time.temporal.ChronoUnit.MICROS), java.time.ZoneOffset.UTC);
        for (LocalDate d = LocalDate.ofInstant(
                        Instant.EPOCH.plus(firstUs, java.time.temporal.ChronoUnit.MICROS), java.time.ZoneOffset.UTC);
                !d.isAfter(last);
                d = d.plusDays(1)) {
            dates.add(Date.valueOf(d));
        }
        return dates;
    }

    /**
     * Every copy, new or already cleansed, of the event ids whose hashes are contested. The contested
     * hashes stay a Dataset (joined, not inlined), so even a batch made only of duplicates plans small.
     */
    private static List<Cleanse.Copy> contestedCopies(Dataset<Row> validated, Dataset<Row> prior) {
        Dataset<Row> hashes = Cleanse.contestedHashes(validated, prior).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Cleanse.Copy> copies = new ArrayList<>();
            if (hashes.isEmpty()) {
                return copies;
            }
            Dataset<Row> newCopies = validated
                    .filter(not(col("line_rejected")))
                    .withColumn("key_hash", Cleanse.keyHash())
                    .join(hashes, "key_hash")
                    .select("event_id", "source_file", "source_line", "source_record");
            for (Row r : newCopies.collectAsList()) {
                copies.add(new Cleanse.Copy(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3), false));
            }
            Dataset<Row> priorCopies = prior.withColumn("key_hash", Cleanse.keyHash())
                    .join(hashes, "key_hash")
                    .select("event_id")
                    .distinct();
            for (Row r : priorCopies.collectAsList()) {
                copies.add(new Cleanse.Copy(r.getString(0), null, 0, true));
            }
            return copies;
        } finally {
            hashes.unpersist();
        }
    }

    /**
     * Event ids already cleansed on the given event dates by other files than these (a redelivery has
     * the same event time, so it lands on the same date as its original).
     */
    private static Dataset<Row> priorEventIds(LakeTable cleansed, List<Date> eventDates, List<RawFile> files) {
        Object[] hours = files.stream()
                .map(f -> Timestamp.from(f.arrivalHour()))
                .distinct()
                .toArray();
        Object[] paths = files.stream().map(RawFile::path).toArray();
        return cleansed.read()
                .filter(col("event_date").isin(eventDates.toArray()))
                .filter(not(col("arrival_ts").isin(hours).and(col("source_file").isin(paths))))
                .select("event_id");
    }

    /** The rows of the selected files in {@code cleansed/readings}: what a run replaces. */
    private static String cleansedPredicate(List<RawFile> files) {
        return SqlPredicates.inTimestamps(
                        "arrival_ts", files.stream().map(RawFile::arrivalHour).toList()) + " AND "
                + SqlPredicates.inStrings(
                        "source_file", files.stream().map(RawFile::path).toList());
    }

    /** The rows of the selected files in {@code quarantine/events}, within their arrival dates. */
    private static String quarantinePredicate(List<RawFile> files) {
        return SqlPredicates.inDates(
                        "arrival_date",
                        SqlPredicates.utcDates(
                                files.stream().map(RawFile::arrivalHour).toList()))
                + " AND " + cleansedPredicate(files);
    }
}
