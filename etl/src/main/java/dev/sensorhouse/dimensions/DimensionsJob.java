package dev.sensorhouse.dimensions;

import static org.apache.spark.sql.functions.*;

import dev.sensorhouse.rollup.Rollup;
import dev.sensorhouse.runtime.Columns;
import dev.sensorhouse.runtime.Durations;
import dev.sensorhouse.runtime.Failpoints;
import dev.sensorhouse.runtime.JobFailedException;
import dev.sensorhouse.runtime.Progress;
import dev.sensorhouse.runtime.RunIds;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.JobRuns;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.TableContract;
import dev.sensorhouse.zones.TableDiff;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Keeps {@code dims/device} and {@code dims/location} as SCD type-2 tables from registry snapshots
 * and DynamoDB-stream CDC files, and re-keys the facts whose versions changed.
 *
 * <ol>
 *   <li>Select the input files no successful run has read (their paths are in {@code input_files}),
 *       or, with {@code --from/--to}, the files whose instant is in that window ({@link #select}).
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
 *   <li>Append the run's row to {@code control/job_runs}; that row marks the files as read.
 * </ol>
 *
 * <p>Every commit is idempotent, so a rerun, or the successor of a run killed between commits,
 * reaches the same tables: it finds its changes already stored and the histories already right.
 * Dangers: one writer per lake at a time; surrogate keys are 63-bit hashes, so two versions collide
 * with a probability of about n²/2⁶⁴ (5·10⁻⁸ for a million versions).
 */
public final class DimensionsJob {
    public static final String JOB = "dimensions";

    private static final List<String> CHANGE_KEYS = List.of("entity", "natural_key", "change_id");
    private static final String ISO = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'";

    private final Lake lake;
    private final DimensionsConfig config;
    private final String args;

    public DimensionsJob(Lake lake, DimensionsConfig config, String args) {
        this.lake = lake;
        this.config = config;
        this.args = args;
    }

    public DimensionsResult run() {
        Instant started = Instant.now();
        Progress progress = new Progress(JOB);
        JobRuns jobRuns = lake.jobRuns();
        List<JobRun> history = jobRuns.all();
        Set<String> done = new HashSet<>();
        history.stream()
                .filter(r -> r.job().equals(JOB) && r.status() == JobRun.Status.SUCCEEDED)
                .forEach(r -> done.addAll(r.inputFiles()));
        List<RegistryFile> listed = new ArrayList<>();
        config.metadata()
                .ifPresent(dir ->
                        listed.addAll(RegistryFile.snapshots(lake.hadoopConf(), lake.root(), Lake.normalize(dir))));
        config.cdc()
                .ifPresent(dir -> listed.addAll(RegistryFile.cdc(lake.hadoopConf(), lake.root(), Lake.normalize(dir))));
        Selection selection = select(listed, done, config);
        List<RegistryFile> pending = selection.pending();
        List<RegistryFile> applied = selection.applied();
        String runId = runId(pending);
        int attempt =
                (int) history.stream().filter(r -> r.runId().equals(runId)).count() + 1;
        progress.step(
                "run %s: %d registry files %s (%d read before)",
                runId,
                pending.size(),
                config.incremental()
                        ? "not read before"
                        : "of window " + config.from().get() + " .. "
                                + config.to().get(),
                applied.size());

        List<LakeTable> tables = List.of(
                lake.registryChanges(),
                lake.devices(),
                lake.locations(),
                lake.quarantineEvents(),
                lake.cleansedReadings(),
                lake.readingsHourly(),
                lake.readingsDaily());
        Map<LakeTable, Long> before = new LinkedHashMap<>();
        tables.forEach(t -> before.put(t.ensureExists(), t.version()));
        lake.spark().sparkContext().setJobGroup(runId, "dimensions " + runId, false);
        try {
            DimensionsCounts counts =
                    pending.isEmpty() ? DimensionsCounts.NONE : process(pending, applied, runId, progress);
            Failpoints.reach("dimensions.before-run-record");
            Instant ended = Instant.now();
            jobRuns.append(record(
                    runId,
                    attempt,
                    pending,
                    JobRun.Status.SUCCEEDED,
                    started,
                    ended,
                    counts,
                    versions(tables),
                    Optional.empty()));
            progress.step("recorded run %s in control/job_runs", runId);
            return new DimensionsResult(runId, attempt, counts, Durations.seconds(started, ended));
        } catch (Exception e) {
            before.forEach(LakeTable::restore);
            String error = JobFailedException.describe(e);
            try {
                jobRuns.append(record(
                        runId,
                        attempt,
                        pending,
                        JobRun.Status.FAILED,
                        started,
                        Instant.now(),
                        DimensionsCounts.NONE,
                        versions(tables),
                        Optional.of(error)));
            } catch (RuntimeException recordFailure) {
                e.addSuppressed(recordFailure);
            }
            throw e instanceof JobFailedException failed
                    ? failed
                    : new JobFailedException("dimensions run " + runId + " failed: " + error, e);
        } finally {
            lake.spark().sparkContext().clearJobGroup();
        }
    }

    /** The files a run reads, and the files read before that it does not read again. */
    record Selection(List<RegistryFile> pending, List<RegistryFile> applied) {}

    /**
     * Incremental: the listed files no successful run has read ({@code done}). Window: the listed files
     * whose instant is in [from, to), read before or not; re-reading a file stores nothing new, since
     * its changes are already in the change log. {@code applied} is every other file read before.
     */
    static Selection select(List<RegistryFile> listed, Set<String> done, DimensionsConfig config) {
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

    private static Map<String, Long> versions(List<LakeTable> tables) {
        return LakeTable.versions(tables.toArray(LakeTable[]::new));
    }

    /** Counts that accumulate over the batches of a run. */
    private static final class Tally {
        long duplicates;
        long unchanged;
        long stored;
        long deletes;
        long reassertions;
        long items;
        final long[] versions = new long[4];
        Dataset<Row> touched;
        Timestamp since;
    }

    private DimensionsCounts process(
            List<RegistryFile> pending, List<RegistryFile> applied, String runId, Progress progress) {
        Dataset<Row> parsed = RegistryReader.read(lake.spark(), pending).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            describe("read " + pending.size() + " registry files");
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
            progress.step(
                    "parsed %,d records: %,d changes, %,d quarantined %s", recordsIn, changes, quarantined, byReason);
            describe("write quarantine/events");
            lake.quarantineEvents().replaceWhere(quarantineRows(parsed, runId), quarantinePredicate(pending));

            Tally tally = new Tally();
            Map<Object, List<RegistryFile>> batches = new TreeMap<>();
            for (RegistryFile f : pending) {
                batches.computeIfAbsent(
                                f.source() == RegistryFile.Source.SNAPSHOT
                                        ? (Object) f.effectiveAt().toString()
                                        : "~cdc",
                                k -> new ArrayList<>())
                        .add(f);
            }
            for (List<RegistryFile> batch : batches.values()) {
                applyBatch(batch, applied, parsed, runId, tally, progress);
            }
            Failpoints.reach("dimensions.before-rekey");
            long rekeyed = tally.touched == null ? 0 : rekey(tally, progress);
            DimensionsCounts counts = new DimensionsCounts(
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
                    tally.versions[0],
                    tally.versions[1],
                    tally.versions[2],
                    tally.versions[3],
                    rekeyed,
                    byReason);
            if (!counts.reconciles()) {
                throw new JobFailedException("reconciliation failed: " + counts.asMap());
            }
            return counts;
        } finally {
            parsed.unpersist(false);
        }
    }

    /** Stores one batch's changes, recomputes the histories it touched, and notes them for re-keying. */
    private void applyBatch(
            List<RegistryFile> batch,
            List<RegistryFile> applied,
            Dataset<Row> parsed,
            String runId,
            Tally tally,
            Progress progress) {
        Object[] paths = batch.stream().map(RegistryFile::path).toArray();
        Dataset<Row> rows = parsed.filter(col("ok").and(col("source_file").isin(paths)));
        LakeTable log = lake.registryChanges();
        boolean snapshot = batch.get(0).source() == RegistryFile.Source.SNAPSHOT;
        String label = snapshot
                ? "snapshot " + batch.get(0).snapshotChangeId().substring("snapshot:".length())
                : batch.size() + " CDC files";
        describe("store the changes of " + label);
        Dataset<Row> toStore;
        long candidates;
        if (snapshot) {
            List<Dataset<Row>> parts = new ArrayList<>();
            long[] n = new long[4];
            for (RegistryFile f : batch) {
                parts.add(snapshotChanges(f, rows.filter(col("source_file").equalTo(f.path())), applied, runId, n));
            }
            toStore = parts.stream().reduce(Dataset::unionByName).orElseThrow().localCheckpoint(true);
            candidates = toStore.count();
            tally.unchanged += n[3] - n[0] - n[1];
            tally.duplicates += n[1];
            tally.deletes += n[2];
            tally.reassertions += candidates - n[0] - n[2];
        } else {
            Dataset<Row> prior = log.read()
                    .join(rows.select(Columns.of(CHANGE_KEYS)).distinct(), Columns.seq(CHANGE_KEYS), "left_semi")
                    .filter(not(col("source_file").isin(paths)))
                    .select(Columns.of(CHANGE_KEYS));
            Dataset<Row> first = rows.withColumn(
                            "_n",
                            row_number()
                                    .over(Window.partitionBy(Columns.of(CHANGE_KEYS))
                                            .orderBy("source_file", "source_line")))
                    .filter(col("_n").equalTo(1))
                    .join(prior, Columns.seq(CHANGE_KEYS), "left_anti");
            toStore = logRows(first, runId).localCheckpoint(true);
            candidates = toStore.count();
            tally.duplicates += rows.count() - candidates;
        }
        long inserted = log.insertNew(toStore, CHANGE_KEYS, "t.entity IN ('device', 'location')");
        tally.stored += candidates;
        progress.step(
                "%s: %,d changes to store, %,d new in dims/registry_changes (version %d)",
                label, candidates, inserted, log.version());
        Failpoints.reach("dimensions.after-changes-commit");

        Dataset<Row> touched = log.read()
                .filter(col("source_file").isin(paths))
                .groupBy("entity", "natural_key")
                .agg(min("effective_at").as("since"))
                .localCheckpoint(true);
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
        int slot = 0;
        for (Entity entity : Entity.values()) {
            describe("recompute " + entity.code() + " histories of " + label);
            LakeTable.Merged m = recompute(
                    entity, touched.filter(col("entity").equalTo(entity.code())).select("natural_key"));
            tally.versions[slot++] += m.written();
            tally.versions[slot++] += m.deleted();
            progress.step(
                    "%s: dims/%s %,d versions written, %,d deleted", label, entity.code(), m.written(), m.deleted());
        }
        tally.touched = tally.touched.localCheckpoint(true);
        Failpoints.reach("dimensions.after-dims-commit");
    }

    /**
     * The changes one snapshot file adds to the history: its rows that differ from the version valid
     * at its instant, deletes for the items that have a version then but no row, and, when a later
     * snapshot of the same entity was applied before, re-assertions of the history at that later
     * snapshot's instant for the items this one changes. {@code n} gets rows changed, duplicate rows
     * (a natural key twice in one snapshot; the first row counts), deletes and rows read.
     */
    private Dataset<Row> snapshotChanges(
            RegistryFile file, Dataset<Row> rows, List<RegistryFile> applied, String runId, long[] n) {
        Dimension dimension = Dimension.of(file.entity());
        Timestamp at = Timestamp.from(file.effectiveAt());
        Dataset<Row> dims = lake.table(Dimension.contract(file.entity())).read();
        Dataset<Row> asOf = validAt(dims, at)
                .select(
                        col(dimension.naturalKeyColumn()).as("natural_key"),
                        col("attr_hash").as("_current"));
        Dataset<Row> first = rows.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long all = first.count();
            boolean repeated = !first.groupBy("natural_key")
                    .count()
                    .filter(col("count").gt(1))
                    .isEmpty();
            Dataset<Row> unique = repeated
                    ? first.withColumn(
                                    "_n",
                                    row_number()
                                            .over(Window.partitionBy("natural_key")
                                                    .orderBy("source_line")))
                            .filter(col("_n").equalTo(1))
                            .drop("_n")
                    : first;
            Dataset<Row> changed = unique.join(asOf, Columns.seq(List.of("natural_key")), "left_outer")
                    .filter(col("_current").isNull().or(col("_current").notEqual(col("attr_hash"))))
                    .drop("_current")
                    .localCheckpoint(true);
            Dataset<Row> deletes = asOf.join(
                            unique.select("natural_key"), Columns.seq(List.of("natural_key")), "left_anti")
                    .select(
                            lit(file.entity().code()).as("entity"),
                            col("natural_key"),
                            lit(file.snapshotChangeId()).as("change_id"),
                            lit(at).as("effective_at"),
                            lit(Op.DELETE.code()).as("op"),
                            lit(null).cast("map<string,string>").as("attributes"),
                            lit(file.source().code()).as("source"),
                            lit(null).cast("string").as("event_id"),
                            lit(file.path()).as("source_file"),
                            lit(0L).as("source_line"))
                    .localCheckpoint(true);
            n[0] += changed.count();
            n[1] += all - (repeated ? unique.count() : all);
            n[3] += all;
            n[2] += deletes.count();
            Dataset<Row> out = logRows(changed, runId).unionByName(logRows(deletes, runId));
            Optional<RegistryFile> next = applied.stream()
                    .filter(f -> f.source() == RegistryFile.Source.SNAPSHOT
                            && f.entity() == file.entity()
                            && f.effectiveAt().isAfter(file.effectiveAt()))
                    .min(java.util.Comparator.comparing(RegistryFile::effectiveAt));
            if (next.isPresent()) {
                out = out.unionByName(reassertions(
                        dimension,
                        dims,
                        next.get(),
                        changed.select("natural_key").union(deletes.select("natural_key")),
                        file,
                        runId));
            }
            return out;
        } finally {
            first.unpersist(false);
        }
    }

    /**
     * The history at a later, already applied snapshot's instant for some items, as that snapshot's
     * changes: the valid version's tracked values as a full image, or a delete when none is valid.
     * Existing changes with the same id win (insert-only), so this only fills in what that snapshot
     * did not store because it equalled the history then.
     */
    private Dataset<Row> reassertions(
            Dimension dimension,
            Dataset<Row> dims,
            RegistryFile later,
            Dataset<Row> keys,
            RegistryFile file,
            String runId) {
        Timestamp at = Timestamp.from(later.effectiveAt());
        String key = dimension.naturalKeyColumn();
        List<Column> map = new ArrayList<>();
        for (Dimension.Tracked t : dimension.tracked()) {
            map.add(lit(t.name()));
            map.add(
                    t.kind() == Dimension.Kind.TIMESTAMP
                            ? date_format(col(t.name()), ISO)
                            : col(t.name()).cast("string"));
        }
        Dataset<Row> valid = validAt(dims, at).withColumnRenamed(key, "natural_key");
        return keys.distinct()
                .join(valid, Columns.seq(List.of("natural_key")), "left_outer")
                .select(
                        lit(file.entity().code()).as("entity"),
                        col("natural_key"),
                        lit(later.snapshotChangeId()).as("change_id"),
                        lit(at).as("effective_at"),
                        when(col("attr_hash").isNull(), lit(Op.DELETE.code()))
                                .otherwise(lit(Op.IMAGE.code()))
                                .as("op"),
                        when(col("attr_hash").isNull(), lit(null).cast("map<string,string>"))
                                .otherwise(map_from_arrays(array(everyOther(map, 0)), array(everyOther(map, 1))))
                                .as("attributes"),
                        lit(RegistryFile.Source.SNAPSHOT.code()).as("source"),
                        lit(null).cast("string").as("event_id"),
                        lit(file.path()).as("source_file"),
                        lit(0L).as("source_line"))
                .transform(d -> logRows(d, runId));
    }

    private static Column[] everyOther(List<Column> c, int offset) {
        List<Column> out = new ArrayList<>();
        for (int i = offset; i < c.size(); i += 2) {
            out.add(c.get(i));
        }
        return out.toArray(Column[]::new);
    }

    private static Dataset<Row> validAt(Dataset<Row> dims, Timestamp at) {
        return dims.filter(col("valid_from").leq(lit(at)).and(col("valid_to").gt(lit(at))));
    }

    /** Rows in the shape of {@code dims/registry_changes}. */
    private static Dataset<Row> logRows(Dataset<Row> changes, String runId) {
        return changes.withColumn("run_id", lit(runId))
                .select(Columns.of(Arrays.asList(TableContract.REGISTRY_CHANGES.columnNames())));
    }

    /** Recomputes the histories of some items of one entity and MERGEs the versions that differ. */
    private LakeTable.Merged recompute(Entity entity, Dataset<Row> keys) {
        Dimension dimension = Dimension.of(entity);
        LakeTable table = lake.table(Dimension.contract(entity));
        Dataset<Row> changes = lake.registryChanges()
                .read()
                .filter(col("entity").equalTo(entity.code()))
                .join(keys, Columns.seq(List.of("natural_key")), "left_semi")
                .select("natural_key", "change_id", "effective_at", "op", "attributes", "source");
        NullRule nulls = config.nulls();
        JavaRDD<Row> versions = changes.javaRDD()
                .groupBy(r -> r.getString(0))
                .flatMap(group ->
                        versionRows(dimension, group._1(), group._2(), nulls).iterator());
        Dataset<Row> recomputed =
                lake.spark().createDataFrame(versions, table.contract().schema());
        Dataset<Row> stored = table.read()
                .join(
                        keys.withColumnRenamed("natural_key", dimension.naturalKeyColumn()),
                        Columns.seq(List.of(dimension.naturalKeyColumn())),
                        "left_semi");
        List<String> keyColumn = List.of(dimension.keyColumn());
        List<String> values = Arrays.stream(table.contract().columnNames())
                .filter(c -> !keyColumn.contains(c))
                .toList();
        return table.applyChanges(TableDiff.changes(recomputed, stored, keyColumn, values), keyColumn, "true");
    }

    private static List<Row> versionRows(Dimension dimension, String naturalKey, Iterable<Row> rows, NullRule nulls) {
        List<History.Change> changes = new ArrayList<>();
        for (Row r : rows) {
            long micros = History.micros(r.getTimestamp(2));
            Map<String, String> attributes =
                    r.isNullAt(4) ? Map.of() : new LinkedHashMap<>(r.<String, String>getJavaMap(4));
            changes.add(new History.Change(r.getString(1), micros, Op.of(r.getString(3)), attributes, r.getString(5)));
        }
        List<Row> out = new ArrayList<>();
        for (History.Version v : History.of(dimension, naturalKey, changes, nulls)) {
            Object[] values = new Object[dimension.tracked().size() + 8];
            int i = 0;
            values[i++] = v.key();
            values[i++] = naturalKey;
            for (Object t : v.tracked()) {
                values[i++] = t;
            }
            values[i++] = v.hash();
            values[i++] = History.timestamp(v.validFromMicros());
            values[i++] = History.timestamp(v.validToMicros());
            values[i++] = v.current();
            values[i++] = v.source();
            values[i++] = v.changeId();
            out.add(RowFactory.create(values));
        }
        return out;
    }

    /**
     * Re-keys the facts of the touched devices and of the devices placed at touched locations, from
     * the earliest touched change on: the rows whose point-in-time keys changed are MERGEd.
     */
    private long rekey(Tally tally, Progress progress) {
        Dataset<Row> devices = lake.devices().read();
        Dataset<Row> locations = lake.locations().read();
        Dataset<Row> touchedLocations = tally.touched
                .filter(col("entity").equalTo("location"))
                .select(col("natural_key").as("location_id"));
        Dataset<Row> affected = tally.touched
                .filter(col("entity").equalTo("device"))
                .select(col("natural_key").as("device_id"))
                .union(devices.join(touchedLocations, "location_id").select("device_id"))
                .distinct()
                .localCheckpoint(true);
        Timestamp since = tally.since;
        long total = 0;
        total += rekey(
                lake.cleansedReadings(),
                List.of("event_id", "metric"),
                "event_ts",
                "event_date",
                affected,
                since,
                devices,
                locations,
                progress);
        total += rekey(
                lake.readingsHourly(),
                Rollup.HOURLY_KEYS,
                "first_ts",
                "event_date",
                affected,
                since,
                devices,
                locations,
                progress);
        total += rekey(
                lake.readingsDaily(),
                Rollup.DAILY_KEYS,
                "first_ts",
                "day",
                affected,
                since,
                devices,
                locations,
                progress);
        return total;
    }

    private long rekey(
            LakeTable facts,
            List<String> keys,
            String ts,
            String partition,
            Dataset<Row> affected,
            Timestamp since,
            Dataset<Row> devices,
            Dataset<Row> locations,
            Progress progress) {
        describe("re-key " + facts.contract().table());
        Dataset<Row> stored = facts.read()
                .filter(col(partition)
                        .geq(lit(java.sql.Date.valueOf(LocalDate.ofInstant(since.toInstant(), ZoneOffset.UTC))))
                        .and(col(ts).geq(lit(since))))
                .join(affected, Columns.seq(List.of("device_id")), "left_semi")
                .withColumnRenamed("device_key", "_old_device_key")
                .withColumnRenamed("location_key", "_old_location_key");
        Dataset<Row> changed = Enrichment.withKeys(stored, ts, devices, locations)
                .filter(not(col("device_key").eqNullSafe(col("_old_device_key")))
                        .or(not(col("location_key").eqNullSafe(col("_old_location_key")))))
                .drop("_old_device_key", "_old_location_key")
                .withColumn(TableDiff.DELETE, lit(false))
                .localCheckpoint(true);
        List<Row> dates = changed.select(partition).distinct().collectAsList();
        if (dates.isEmpty()) {
            progress.step("%s: no keys changed", facts.contract().table());
            return 0;
        }
        String in =
                dates.stream().map(r -> "DATE'" + r.getDate(0) + "'").sorted().collect(Collectors.joining(", "));
        LakeTable.Merged m = facts.applyChanges(changed, keys, "t." + partition + " IN (" + in + ")");
        progress.step(
                "%s: %,d rows re-keyed on %d dates (version %d)",
                facts.contract().table(), m.written(), dates.size(), facts.version());
        return m.written();
    }

    private static Dataset<Row> quarantineRows(Dataset<Row> parsed, String runId) {
        return parsed.filter(not(col("ok")))
                .select(
                        lit(runId).as("run_id"),
                        col("reason_code"),
                        col("reason_detail"),
                        lit("line").as("scope"),
                        col("raw_line"),
                        col("source_file"),
                        col("source_line"),
                        col("arrival_ts"),
                        to_date(col("arrival_ts")).as("arrival_date"),
                        when(col("entity").equalTo("device"), col("natural_key"))
                                .as("device_id"),
                        lit(null).cast("string").as("event_id"),
                        lit(null).cast("string").as("metric"));
    }

    private static String quarantinePredicate(List<RegistryFile> files) {
        String dates = files.stream()
                .map(f -> LocalDate.ofInstant(f.effectiveAt(), ZoneOffset.UTC).toString())
                .distinct()
                .sorted()
                .map(d -> "DATE'" + d + "'")
                .collect(Collectors.joining(", "));
        String paths = files.stream().map(f -> LakeTable.sqlString(f.path())).collect(Collectors.joining(", "));
        return "arrival_date IN (" + dates + ") AND source_file IN (" + paths + ")";
    }

    private void describe(String stage) {
        lake.spark().sparkContext().setJobDescription("dimensions: " + stage);
    }

    private String runId(List<RegistryFile> files) {
        List<String> parts = new ArrayList<>();
        parts.add(config.nulls().code());
        files.forEach(f -> parts.add(f.path() + "@" + f.bytes()));
        return RunIds.of(JOB, parts);
    }

    private JobRun record(
            String runId,
            int attempt,
            List<RegistryFile> files,
            JobRun.Status status,
            Instant started,
            Instant ended,
            DimensionsCounts counts,
            Map<String, Long> versions,
            Optional<String> error) {
        Optional<Instant> newest = files.stream().map(RegistryFile::effectiveAt).max(Instant::compareTo);
        return new JobRun(
                runId,
                attempt,
                JOB,
                config.incremental() ? "incremental" : "window",
                config.incremental()
                        ? files.stream().map(RegistryFile::effectiveAt).min(Instant::compareTo)
                        : config.from(),
                config.incremental() ? newest : config.to(),
                status,
                started,
                ended,
                newest,
                counts.asMap(),
                files.stream().map(RegistryFile::path).toList(),
                versions,
                error,
                args);
    }
}
