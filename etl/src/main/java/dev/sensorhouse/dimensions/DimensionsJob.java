package dev.sensorhouse.dimensions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import dev.sensorhouse.quarantine.QuarantineRows;
import dev.sensorhouse.quarantine.ReasonCode;
import dev.sensorhouse.runtime.AuditedJob;
import dev.sensorhouse.runtime.Columns;
import dev.sensorhouse.runtime.Progress;
import dev.sensorhouse.runtime.RunContext;
import dev.sensorhouse.runtime.RunScope;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.JobRuns;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.SqlPredicates;
import dev.sensorhouse.zones.TableDiff;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Keeps {@code dims/device} and {@code dims/location} as SCD type-2 tables from registry snapshots
 * and DynamoDB-stream CDC files, and re-keys the facts whose versions changed.
 *
 * <ol>
 *   <li>Select the input files no successful run has read (their paths are in {@code input_files}),
 *       or, with {@code --from/--to}, the files whose instant is in that window ({@link #files}).
 *   <li>Read and parse every record; bad ones become {@code quarantine/events} rows (one commit,
 *       replacing earlier rows of the same files). CSV headers are checked first: a snapshot missing
 *       a required column fails the run, naming it.
 *   <li>Apply the files in batches: each snapshot date on its own, oldest first, then all CDC files.
 *       A batch's changes go into {@code dims/registry_changes} (insert-only MERGE on entity,
 *       natural key and change id, so duplicates and reruns add nothing). Snapshot rows are stored
 *       only where they differ from the history at the snapshot's instant; items missing from the
 *       snapshot get a delete; and when a later snapshot is already applied, the history at its
 *       instant is stored too (a re-assertion), so the late snapshot changes only its own day.
 *   <li>For every item the batch touched, recompute its whole history from its stored changes
 *       ({@link History}) and MERGE only the versions that differ into its dimension (one commit per
 *       table).
 *   <li>Re-key the facts of the touched devices (and of the devices at touched locations) from the
 *       batch's earliest change on: readings, hourly and daily rows whose point-in-time keys
 *       ({@link Enrichment}) changed are MERGEd with the new keys.
 *   <li>Append the run's row to {@code control/job_runs}; that row marks the files as read, except
 *       damaged ones (an {@code unreadable_file} quarantine row), which the next run reads again, so a
 *       replaced file is applied once it is whole. A damaged snapshot is never applied in part.
 * </ol>
 *
 * <p>Every commit is idempotent, so a rerun, or the successor of a run killed between commits,
 * reaches the same tables: it finds its changes already stored and the histories already right.
 * Dangers: one writer per lake at a time; surrogate keys are 63-bit hashes, so two versions collide
 * with a probability of about n²/2⁶⁴ (5·10⁻⁸ for a million versions).
 */
public final class DimensionsJob extends AuditedJob<DimensionsJob.Selection, DimensionsCounts> {
    public static final String JOB = "dimensions";

    private final DimensionsConfig config;
    /** Files found damaged by this run: not recorded as read. */
    private final Set<String> unreadable = new HashSet<>();

    public DimensionsJob(Lake lake, DimensionsConfig config, String args) {
        super(lake, JOB, args);
        this.config = config;
    }

    /** The registry files the run reads, and the other files read before (for late snapshots). */
    record Selection(List<RegistryFile> pending, List<RegistryFile> applied) {}

    /**
     * Incremental: the listed files no successful run has read ({@code done}). Window: the listed files
     * whose instant is in [from, to), read before or not; re-reading a file stores nothing new, since
     * its changes are already in the change log. {@code applied} is every other file read before.
     */
    static Selection files(List<RegistryFile> listed, Set<String> done, DimensionsConfig config) {
        java.util.function.Predicate<RegistryFile> read = config.incremental()
                ? f -> !done.contains(f.path())
                : f -> !f.effectiveAt().isBefore(config.from().get())
                        && f.effectiveAt().isBefore(config.to().get());
        List<RegistryFile> pending = listed.stream().filter(read).sorted().toList();
        List<RegistryFile> applied = listed.stream()
                .filter(f -> done.contains(f.path()) && !pending.contains(f))
                .toList();
        return new Selection(pending, applied);
    }

    @Override
    protected Selection select(List<JobRun> history) {
        Set<String> done = new HashSet<>();
        JobRuns.succeeded(history, JOB).forEach(r -> done.addAll(r.inputFiles()));
        List<RegistryFile> listed = new ArrayList<>();
        config.metadata()
                .ifPresent(dir ->
                        listed.addAll(RegistryFile.snapshots(lake.hadoopConf(), lake.root(), Lake.normalize(dir))));
        config.cdc()
                .ifPresent(dir -> listed.addAll(RegistryFile.cdc(lake.hadoopConf(), lake.root(), Lake.normalize(dir))));
        return files(listed, done, config);
    }

    @Override
    protected List<String> identity(Selection selection) {
        List<String> parts = new ArrayList<>();
        parts.add(config.nulls().code());
        selection.pending().forEach(f -> parts.add(f.path() + "@" + f.bytes()));
        return parts;
    }

    @Override
    protected String describe(Selection selection) {
        return selection.pending().size() + " registry files "
                + (config.incremental()
                        ? "not read before"
                        : "of window " + config.from().get() + " .. "
                                + config.to().get())
                + " (" + selection.applied().size() + " read before)";
    }

    @Override
    protected List<LakeTable> tables() {
        return List.of(
                lake.registryChanges(),
                lake.devices(),
                lake.locations(),
                lake.quarantineEvents(),
                lake.cleansedReadings(),
                lake.readingsHourly(),
                lake.readingsDaily());
    }

    @Override
    protected DimensionsCounts none() {
        return DimensionsCounts.NONE;
    }

    @Override
    protected RunScope scope(Selection selection) {
        List<Instant> times =
                selection.pending().stream().map(RegistryFile::effectiveAt).toList();
        Optional<Instant> newest = times.stream().max(Comparator.naturalOrder());
        return new RunScope(
                config.incremental() ? RunScope.INCREMENTAL : RunScope.WINDOW,
                config.incremental() ? times.stream().min(Comparator.naturalOrder()) : config.from(),
                config.incremental() ? newest : config.to(),
                newest,
                selection.pending().stream()
                        .map(RegistryFile::path)
                        .filter(p -> !unreadable.contains(p))
                        .toList());
    }

    @Override
    protected DimensionsCounts process(Selection selection, RunContext run) {
        return selection.pending().isEmpty() ? DimensionsCounts.NONE : apply(selection, run);
    }

    /** Counts that accumulate over the batches of a run, and the items they touched. */
    private static final class Tally {
        long duplicates;
        long unchanged;
        long stored;
        long deletes;
        long reassertions;
        long items;
        long deviceVersionsWritten;
        long deviceVersionsDeleted;
        long locationVersionsWritten;
        long locationVersionsDeleted;
        Dataset<Row> touched;
        Timestamp since;

        void versions(Entity entity, LakeTable.Merged m) {
            if (entity == Entity.DEVICE) {
                deviceVersionsWritten += m.written();
                deviceVersionsDeleted += m.deleted();
            } else {
                locationVersionsWritten += m.written();
                locationVersionsDeleted += m.deleted();
            }
        }
    }

    private DimensionsCounts apply(Selection selection, RunContext run) {
        List<RegistryFile> pending = selection.pending();
        Progress progress = run.progress();
        Dataset<Row> parsed = RegistryReader.read(lake.spark(), pending).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            run.stage("read " + pending.size() + " registry files");
            Map<String, Long> byReason = new TreeMap<>();
            long recordsIn = 0;
            long changes = 0;
            for (Row r : parsed.groupBy("ok", "reason_code").count().collectAsList()) {
                recordsIn += r.getLong(2);
                if (r.getBoolean(0)) {
                    changes += r.getLong(2);
                } else {
                    byReason.put(r.getString(1), r.getLong(2));
                }
            }
            long quarantined = recordsIn - changes;
            parsed.filter(col("reason_code").equalTo(ReasonCode.UNREADABLE_FILE.code()))
                    .select("source_file")
                    .distinct()
                    .collectAsList()
                    .forEach(r -> unreadable.add(r.getString(0)));
            progress.step(
                    "parsed %,d records: %,d changes, %,d quarantined %s", recordsIn, changes, quarantined, byReason);
            run.stage("write quarantine/events");
            lake.quarantineEvents().replaceWhere(quarantineRows(parsed, run.runId()), quarantinePredicate(pending));

            Tally tally = new Tally();
            Map<String, List<RegistryFile>> batches = new TreeMap<>();
            for (RegistryFile f : pending) {
                if (f.source() == RegistryFile.Source.SNAPSHOT && unreadable.contains(f.path())) {
                    continue; // a partial snapshot would end every item after the damage
                }
                batches.computeIfAbsent(
                                f.source() == RegistryFile.Source.SNAPSHOT
                                        ? f.effectiveAt().toString()
                                        : "~cdc",
                                k -> new ArrayList<>())
                        .add(f);
            }
            for (List<RegistryFile> batch : batches.values()) {
                applyBatch(batch, selection.applied(), parsed, run, tally);
            }
            run.failpoint("before-rekey");
            long rekeyed = tally.touched == null ? 0 : rekey(tally, run);
            return new DimensionsCounts(
                    pending.size(),
                    recordsIn,
                    changes,
                    quarantined,
                    tally.duplicates,
                    tally.unchanged,
                    tally.stored,
                    tally.deletes,
                    tally.reassertions,
                    tally.items,
                    tally.deviceVersionsWritten,
                    tally.deviceVersionsDeleted,
                    tally.locationVersionsWritten,
                    tally.locationVersionsDeleted,
                    rekeyed,
                    byReason);
        } finally {
            parsed.unpersist(false);
        }
    }

    /** Stores one batch's changes, recomputes the histories it touched, and notes them for re-keying. */
    private void applyBatch(
            List<RegistryFile> batch, List<RegistryFile> applied, Dataset<Row> parsed, RunContext run, Tally tally) {
        List<String> paths = batch.stream().map(RegistryFile::path).toList();
        Dataset<Row> rows = parsed.filter(col("ok").and(col("source_file").isin(paths.toArray())));
        LakeTable log = lake.registryChanges();
        boolean snapshot = batch.get(0).source() == RegistryFile.Source.SNAPSHOT;
        String label = snapshot
                ? "snapshot " + batch.get(0).snapshotChangeId().substring("snapshot:".length())
                : batch.size() + " CDC files";
        run.stage("store the changes of " + label);
        Dataset<Row> toStore;
        long candidates;
        if (snapshot) {
            List<Dataset<Row>> parts = new ArrayList<>();
            long changed = 0;
            long deletes = 0;
            for (RegistryFile f : batch) {
                SnapshotChanges.Result r = SnapshotChanges.of(
                        f,
                        rows.filter(col("source_file").equalTo(f.path())),
                        lake.table(Dimension.contract(f.entity())).read(),
                        laterSnapshot(f, applied),
                        run.runId());
                parts.add(r.changes());
                changed += r.changed();
                deletes += r.deletes();
                tally.duplicates += r.duplicates();
                tally.unchanged += r.rows() - r.changed() - r.duplicates();
            }
            toStore = parts.stream().reduce(Dataset::unionByName).orElseThrow().localCheckpoint(true);
            candidates = toStore.count();
            tally.deletes += deletes;
            tally.reassertions += candidates - changed - deletes;
        } else {
            toStore = ChangeLog.rows(ChangeLog.newCdcChanges(rows, log.read(), paths), run.runId())
                    .localCheckpoint(true);
            candidates = toStore.count();
            tally.duplicates += rows.count() - candidates;
        }
        long inserted = log.insertNew(toStore, ChangeLog.KEY, "t.entity IN ('device', 'location')");
        tally.stored += candidates;
        run.progress()
                .step(
                        "%s: %,d changes to store, %,d new in dims/registry_changes (version %d)",
                        label, candidates, inserted, log.version());
        run.failpoint("after-changes-commit");

        Dataset<Row> touched = ChangeLog.touchedItems(log.read(), paths).localCheckpoint(true);
        Row span = touched.agg(count(lit(1)), min("since")).head();
        if (span.getLong(0) == 0) {
            return;
        }
        tally.items += span.getLong(0);
        Timestamp since = span.getTimestamp(1);
        tally.since = tally.since == null || since.before(tally.since) ? since : tally.since;
        tally.touched = tally.touched == null
                ? touched.select("entity", "natural_key")
                : tally.touched.union(touched.select("entity", "natural_key")).distinct();
        for (Entity entity : Entity.values()) {
            run.stage("recompute " + entity.code() + " histories of " + label);
            LakeTable.Merged m = recompute(
                    entity, touched.filter(col("entity").equalTo(entity.code())).select("natural_key"));
            tally.versions(entity, m);
            run.progress()
                    .step(
                            "%s: dims/%s %,d versions written, %,d deleted",
                            label, entity.code(), m.written(), m.deleted());
        }
        tally.touched = tally.touched.localCheckpoint(true);
        run.failpoint("after-dims-commit");
    }

    /** The next snapshot of the same entity after {@code file} that a run applied before, if any. */
    private static Optional<RegistryFile> laterSnapshot(RegistryFile file, List<RegistryFile> applied) {
        return applied.stream()
                .filter(f -> f.source() == RegistryFile.Source.SNAPSHOT
                        && f.entity() == file.entity()
                        && f.effectiveAt().isAfter(file.effectiveAt()))
                .min(Comparator.comparing(RegistryFile::effectiveAt));
    }

    /** Recomputes the histories of some items of one entity and MERGEs the versions that differ. */
    private LakeTable.Merged recompute(Entity entity, Dataset<Row> keys) {
        Dimension dimension = Dimension.of(entity);
        LakeTable table = lake.table(Dimension.contract(entity));
        Dataset<Row> changes = lake.registryChanges()
                .read()
                .filter(col("entity").equalTo(entity.code()))
                .join(keys, Columns.seq(List.of("natural_key")), "left_semi");
        Dataset<Row> recomputed = Versions.of(entity, changes, config.nulls());
        Dataset<Row> stored = table.read()
                .join(
                        keys.withColumnRenamed("natural_key", dimension.naturalKeyColumn()),
                        Columns.seq(List.of(dimension.naturalKeyColumn())),
                        "left_semi");
        List<String> key = table.contract().key();
        return table.applyChanges(
                TableDiff.changes(recomputed, stored, key, table.contract().valueColumns()), key, "true");
    }

    /**
     * Re-keys the facts of the touched devices and of the devices placed at touched locations, from
     * the earliest touched change on: the rows whose point-in-time keys changed are MERGEd.
     */
    private long rekey(Tally tally, RunContext run) {
        Dataset<Row> devices = lake.devices().read();
        Dataset<Row> locations = lake.locations().read();
        Dataset<Row> affected = FactKeys.affectedDevices(tally.touched, devices).localCheckpoint(true);
        long total = 0;
        for (FactKeys.Fact fact : FactKeys.FACTS) {
            LakeTable facts = lake.table(fact.contract());
            String name = fact.contract().table();
            if (facts.knownEmpty()) {
                run.progress().step("%s: no keys changed (empty)", name);
                continue;
            }
            run.stage("re-key " + name);
            Dataset<Row> changed = FactKeys.changed(fact, facts.read(), affected, tally.since, devices, locations)
                    .localCheckpoint(true);
            List<Date> dates = changed.select(fact.partition()).distinct().collectAsList().stream()
                    .map(r -> r.getDate(0))
                    .toList();
            if (dates.isEmpty()) {
                run.progress().step("%s: no keys changed", name);
                continue;
            }
            LakeTable.Merged m = facts.applyChanges(
                    changed,
                    fact.contract().key(),
                    SqlPredicates.inDates(
                            "t." + fact.partition(),
                            dates.stream().map(Date::toLocalDate).toList()));
            run.progress()
                    .step(
                            "%s: %,d rows re-keyed on %d dates (version %d)",
                            name, m.written(), dates.size(), facts.version());
            total += m.written();
        }
        return total;
    }

    /** The parsed records that failed, as {@code quarantine/events} rows. */
    private static Dataset<Row> quarantineRows(Dataset<Row> parsed, String runId) {
        return QuarantineRows.of(parsed.filter(not(col("ok"))), runId)
                .scope(col("scope"))
                .encoding(col("raw_encoding"))
                .device(when(col("entity").equalTo(Entity.DEVICE.code()), col("natural_key")))
                .rows();
    }

    /** The quarantine rows of some registry files: what a run replaces. */
    private static String quarantinePredicate(List<RegistryFile> files) {
        return SqlPredicates.inDates(
                        "arrival_date",
                        SqlPredicates.utcDates(
                                files.stream().map(RegistryFile::effectiveAt).toList()))
                + " AND "
                + SqlPredicates.inStrings(
                        "source_file", files.stream().map(RegistryFile::path).toList());
    }
}
