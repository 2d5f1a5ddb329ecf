package dev.sensorhouse.maintain;

import dev.sensorhouse.runtime.AuditedJob;
import dev.sensorhouse.runtime.RunContext;
import dev.sensorhouse.runtime.RunScope;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.JobRuns;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.RawFile;
import dev.sensorhouse.zones.SqlPredicates;
import dev.sensorhouse.zones.TableContract;
import dev.sensorhouse.zones.TableMaintenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

/**
 * Keeps a long-running lake small and fast: compacts the small files every hourly run leaves, vacuums
 * files no recent version references, and applies the raw-zone and quarantine retention.
 *
 * <ol>
 *   <li>Plan (from the run history and the tables' commit logs, no data read): per table, the
 *       partitions data-changing commits wrote since the version the last successful maintenance run
 *       recorded ({@link Compaction}); the raw files a successful cleanse covered whose arrival is older
 *       than {@code --raw-retention}, and the quarantine arrival dates older than {@code
 *       --quarantine-retention}, both measured from the newest cleansed arrival hour ({@link Retention}).
 *   <li>Compact each planned table: OPTIMIZE of the changed partitions, Z-ordered by {@code device_id}
 *       for the fact tables (readings, hourly, daily), whose device filters (re-keying after a
 *       dimension change, per-device queries) then skip files. Compaction changes no data: the rows of
 *       every version and the change feed stay the same.
 *   <li>Delete the expired quarantine partitions (one commit).
 *   <li>VACUUM every table with {@code --vacuum-retention} (never below {@link MaintainConfig#LONGEST_READER}).
 *   <li>Delete the expired raw files, last: nothing restores a deleted file, so they go only when all
 *       else succeeded. Each deletion is final and was due, and a missing file is skipped.
 * </ol>
 *
 * <p>The run row records each table's version after compaction: the next run compacts only what
 * changed since. A rerun plans nothing; a run killed midway leaves valid tables (each commit is whole
 * and changes no rows, or deletes only expired rows), and its successor plans the rest again.
 */
public final class MaintainJob extends AuditedJob<MaintainJob.Plan, MaintainCounts> {
    public static final String JOB = "maintain";
    static final String CLEANSE_JOB = "cleanse";
    static final String Z_ORDER_COLUMN = "device_id";

    private final MaintainConfig config;

    public MaintainJob(Lake lake, MaintainConfig config, String args) {
        super(lake, JOB, args);
        this.config = config;
    }

    /** What one run does. */
    record Plan(
            Map<String, Compaction.Plan> compactions,
            Map<String, Long> versions,
            List<RawFile> expiredRaw,
            List<LocalDate> expiredQuarantine,
            Optional<Instant> reference) {}

    /** The tables maintenance keeps, and whether they are Z-ordered by device. */
    private Map<LakeTable, Boolean> maintained() {
        Map<LakeTable, Boolean> tables = new LinkedHashMap<>();
        tables.put(lake.cleansedReadings(), true);
        tables.put(lake.readingsHourly(), true);
        tables.put(lake.readingsDaily(), true);
        tables.put(lake.quarantineEvents(), false);
        tables.put(lake.devices(), false);
        tables.put(lake.locations(), false);
        tables.put(lake.registryChanges(), false);
        tables.put(lake.jobRuns().table(), false);
        return tables;
    }

    @Override
    protected Plan select(List<JobRun> history) {
        List<JobRun> done = JobRuns.succeeded(history, JOB);
        Map<String, Long> bookmarks =
                done.isEmpty() ? Map.of() : done.get(done.size() - 1).tableVersions();
        Map<String, Compaction.Plan> compactions = new LinkedHashMap<>();
        Map<String, Long> versions = new LinkedHashMap<>();
        for (LakeTable table : maintained().keySet()) {
            String name = table.contract().table();
            if (!table.exists()) {
                continue;
            }
            // the versions in a run's row are those before the row itself, which is job_runs' next commit
            long ownRow = name.equals(TableContract.JOB_RUNS.table()) ? 1 : 0;
            Optional<Long> after = Optional.ofNullable(bookmarks.get(name)).map(v -> v + ownRow);
            Optional<String> partition =
                    table.contract().partitionColumns().stream().findFirst();
            TableMaintenance maintenance = new TableMaintenance(lake.spark(), table);
            Compaction.Plan plan = maintenance
                    .commitsAfter(after.orElse(-1L))
                    .map(commits -> Compaction.plan(commits, after, partition))
                    // the log no longer holds every commit since: compact the whole table
                    .orElseGet(Compaction.WholeTable::new);
            compactions.put(name, plan);
            versions.put(name, table.version());
        }
        List<RawFile> cleansed =
                Retention.cleansed(lake.raw().list(Optional.empty(), Optional.empty()), history, CLEANSE_JOB);
        Optional<Instant> reference = Retention.reference(cleansed);
        List<RawFile> expiredRaw = config.rawRetention()
                .map(r -> Retention.expiredRawFiles(cleansed, r))
                .orElse(List.of());
        List<LocalDate> expiredQuarantine = config.quarantineRetention()
                .filter(r -> lake.quarantineEvents().exists())
                .map(r -> Retention.expiredQuarantineDates(quarantineDates(), reference, r))
                .orElse(List.of());
        return new Plan(compactions, versions, expiredRaw, expiredQuarantine, reference);
    }

    private List<LocalDate> quarantineDates() {
        List<LocalDate> dates = new ArrayList<>();
        for (Row r :
                lake.quarantineEvents().read().select("arrival_date").distinct().collectAsList()) {
            dates.add(r.getDate(0).toLocalDate());
        }
        return dates;
    }

    @Override
    protected List<String> identity(Plan plan) {
        List<String> parts = new ArrayList<>();
        parts.add("vacuum " + config.vacuumRetention());
        plan.versions()
                .forEach((t, v) ->
                        parts.add(t + "@" + v + " " + plan.compactions().get(t)));
        plan.expiredQuarantine().forEach(d -> parts.add("quarantine " + d));
        plan.expiredRaw().forEach(f -> parts.add("raw " + f.path()));
        return parts;
    }

    @Override
    protected String describe(Plan plan) {
        long tables = plan.compactions().values().stream()
                .filter(p -> !(p instanceof Compaction.Nothing))
                .count();
        return String.format(
                "%d of %d tables changed since the last maintenance; %d raw files and %d quarantine dates expired (reference %s)",
                tables,
                plan.compactions().size(),
                plan.expiredRaw().size(),
                plan.expiredQuarantine().size(),
                plan.reference().map(Instant::toString).orElse("none: nothing cleansed yet"));
    }

    @Override
    protected List<LakeTable> tables() {
        return List.copyOf(maintained().keySet());
    }

    @Override
    protected MaintainCounts none() {
        return MaintainCounts.NONE;
    }

    @Override
    protected RunScope scope(Plan plan) {
        return new RunScope(
                RunScope.INCREMENTAL,
                Optional.empty(),
                Optional.empty(),
                plan.reference(),
                plan.expiredRaw().stream().map(RawFile::path).toList());
    }

    @Override
    protected MaintainCounts process(Plan plan, RunContext run) {
        long tablesCompacted = 0;
        long partitionsCompacted = 0;
        long filesRemoved = 0;
        long filesAdded = 0;
        for (Map.Entry<LakeTable, Boolean> e : maintained().entrySet()) {
            LakeTable table = e.getKey();
            Compaction.Plan plan1 = plan.compactions().get(table.contract().table());
            if (plan1 == null || plan1 instanceof Compaction.Nothing) {
                continue;
            }
            Optional<String> where = Optional.empty();
            if (plan1 instanceof Compaction.Partitions p) {
                where = Optional.of(SqlPredicates.inStrings(p.column(), p.values()));
                partitionsCompacted += p.values().size();
            }
            run.stage("compact " + table.contract().table());
            Map<String, Long> m = new TableMaintenance(lake.spark(), table)
                    .optimize(where, e.getValue() ? List.of(Z_ORDER_COLUMN) : List.of());
            filesRemoved += m.get("files_removed");
            filesAdded += m.get("files_added");
            tablesCompacted++;
            run.progress()
                    .step(
                            "compacted %s (%s): %d files into %d",
                            table.contract().table(),
                            where.orElse("whole table"),
                            m.get("files_removed"),
                            m.get("files_added"));
        }
        run.failpoint("after-compaction");

        if (!plan.expiredQuarantine().isEmpty()) {
            run.stage("delete expired quarantine partitions");
            new TableMaintenance(lake.spark(), lake.quarantineEvents())
                    .delete(SqlPredicates.inDates("arrival_date", plan.expiredQuarantine()));
            run.progress()
                    .step(
                            "deleted quarantine rows of %d arrival dates",
                            plan.expiredQuarantine().size());
        }
        run.failpoint("after-quarantine-retention");

        for (LakeTable table : maintained().keySet()) {
            if (table.exists()) {
                run.stage("vacuum " + table.contract().table());
                new TableMaintenance(lake.spark(), table).vacuum(config.vacuumRetention());
            }
        }
        run.progress().step("vacuumed %d tables, retention %s", maintained().size(), config.vacuumRetention());
        run.failpoint("after-vacuum");

        long rawBytes = deleteRaw(plan.expiredRaw());
        return new MaintainCounts(
                tablesCompacted,
                partitionsCompacted,
                filesRemoved,
                filesAdded,
                plan.expiredQuarantine().size(),
                plan.expiredRaw().size(),
                rawBytes);
    }

    /** Deletes raw files (a missing one is skipped: a killed run deleted it) and returns their bytes. */
    private long deleteRaw(List<RawFile> files) {
        long bytes = 0;
        for (RawFile f : files) {
            Path p = new Path(lake.root(), f.path());
            try {
                FileSystem fs = p.getFileSystem(lake.hadoopConf());
                if (fs.delete(p, false)) {
                    bytes += f.bytes();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete raw file " + p, e);
            }
        }
        return bytes;
    }
}
