package dev.sensorhouse.warehouse;

import static org.apache.spark.sql.functions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sensorhouse.runtime.Durations;
import dev.sensorhouse.runtime.Failpoints;
import dev.sensorhouse.runtime.JobFailedException;
import dev.sensorhouse.runtime.Progress;
import dev.sensorhouse.runtime.RunIds;
import dev.sensorhouse.warehouse.StarSchema.Kind;
import dev.sensorhouse.warehouse.StarSchema.Table;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.TableContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Loads the lake into the warehouse star schema, incrementally and in one transaction.
 *
 * <ol>
 *   <li>Find what to load from the lake's run records: each lake table's version as the newest
 *       SUCCEEDED run left it (a run still going, or one that failed, is not loaded), plus the run
 *       records themselves and the metric catalog.
 *   <li>Bring the warehouse's tables and views to the star schema ({@link SchemaSync}).
 *   <li>Begin the transaction; take the load lock (a second load waits here until the first ends);
 *       read the versions the last successful load reached from {@code etl_job_run}.
 *   <li>Per table, the batch: the change data feed of the versions since then, netted per business
 *       key; the whole table at its version when nothing was loaded before (or the feed does not cover
 *       the range); nothing when the version is the same. dim_date gets the dates of the facts loaded,
 *       read from their staging tables (so no fact batch is computed twice).
 *   <li>Per table with a batch: stage it ({@link Stager}), delete the staged keys (everything, for a
 *       whole table), insert the staged rows that are not deletions.
 *   <li>Record the load in {@code etl_job_run} (versions reached, counts, the batch watermark of the
 *       live views: the hour after the newest batch hour) and commit.
 * </ol>
 *
 * <p>A failure at any step rolls the whole transaction back, so the warehouse is exactly as before,
 * and then records a FAILED row with the error in a transaction of its own. A rerun finds the same
 * versions already loaded and changes nothing.
 */
public final class WarehouseLoad {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WarehouseLoad.class);

    public static final String JOB = "load-warehouse";
    static final String CATALOG_SOURCE = "metric-catalog";
    static final String CALENDAR_SOURCE = "calendar";
    static final String RUNS_SOURCE = "control.job_runs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Lake lake;
    private final WarehouseConfig config;
    private final StarSchema schema;

    public WarehouseLoad(Lake lake, WarehouseConfig config) {
        this.lake = lake;
        this.config = config;
        this.schema = StarSchema.defaults();
    }

    /** How a table's batch was chosen. */
    enum Mode {
        /** The whole table at a version: its rows replace the table's. */
        FULL,
        /** The netted changes since the last loaded version: staged keys are replaced. */
        CHANGES
    }

    /** One table's batch. */
    record Batch(Table table, Mode mode, String versions, Dataset<Row> rows) {}

    public LoadResult run() {
        Instant started = Instant.now();
        Progress progress = new Progress(JOB);
        Map<String, Long> targets = sourceVersions();
        String runId = RunIds.of(JOB, List.of(config.target().url(), targets.toString()));
        Map<String, TableCounts> counts = new LinkedHashMap<>();
        progress.step("run %s: %s; lake %s", runId, config.target(), lake.root());
        Stager stager = stager(runId);
        try (Connection connection = config.target().connect()) {
            List<String> ddl = SchemaSync.apply(connection, config.target().dialect(), schema);
            progress.step(
                    "schema: %d statements (%d tables, %d views)",
                    ddl.size(), schema.tables().size(), schema.views().size());
            connection.setAutoCommit(false);
            int attempt = 1;
            try {
                lock(connection, progress);
                attempt = LoadAudit.attempts(connection, runId) + 1;
                Map<String, Long> loaded = LoadAudit.lastLoaded(connection);
                lake.spark().sparkContext().setJobGroup(runId, JOB + " " + runId, false);
                List<Batch> batches = batches(loaded, targets);
                SortedSet<Integer> factDates = new TreeSet<>();
                for (Batch b : batches) {
                    counts.put(b.table().name(), load(connection, stager, b, progress, factDates));
                }
                if (!factDates.isEmpty()) {
                    Batch calendar = calendarBatch(factDates);
                    counts.put(calendar.table().name(), load(connection, stager, calendar, progress, factDates));
                }
                Failpoints.reach("warehouse.before-commit");
                Optional<Instant> watermark = LoadAudit.batchWatermark(connection);
                Map<String, Long> reached = new TreeMap<>(loaded);
                reached.putAll(targets);
                Instant ended = Instant.now();
                LoadAudit.record(
                        connection,
                        runId,
                        attempt,
                        loaded.isEmpty() ? Mode.FULL : Mode.CHANGES,
                        JobRun.Status.SUCCEEDED,
                        started,
                        ended,
                        watermark,
                        counts,
                        reached,
                        Optional.empty());
                connection.commit();
                stager.afterCommit();
                progress.step(
                        "committed; batch watermark %s",
                        watermark.map(Instant::toString).orElse("none (no hourly rows)"));
                return new LoadResult(
                        runId,
                        attempt,
                        config.target().toString(),
                        counts,
                        watermark,
                        Durations.seconds(started, ended));
            } catch (Exception e) {
                rollback(connection, e);
                stager.afterRollback();
                String error = JobFailedException.describe(e);
                try {
                    connection.setAutoCommit(true);
                    LoadAudit.record(
                            connection,
                            runId,
                            attempt,
                            Mode.CHANGES,
                            JobRun.Status.FAILED,
                            started,
                            Instant.now(),
                            Optional.empty(),
                            Map.of(),
                            Map.of(),
                            Optional.of(error));
                } catch (SQLException | RuntimeException recordFailure) {
                    e.addSuppressed(recordFailure);
                }
                throw new JobFailedException(
                        "load " + runId + " into " + config.target() + " failed, the warehouse is as before: " + error,
                        e);
            } finally {
                lake.spark().sparkContext().clearJobGroup();
            }
        } catch (SQLException e) {
            throw new JobFailedException("cannot load into " + config.target() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The version of each lake table the newest SUCCEEDED run left it at, the run records' own current
     * version, and the metric catalog's fingerprint (as a number).
     */
    Map<String, Long> sourceVersions() {
        Map<String, Long> versions = new TreeMap<>();
        for (JobRun r : lake.jobRuns().all()) {
            if (r.status() == JobRun.Status.SUCCEEDED) {
                r.tableVersions().forEach((table, v) -> versions.merge(table, v, Math::max));
            }
        }
        long runs = lake.jobRuns().table().version();
        if (runs >= 0) {
            versions.put(RUNS_SOURCE, runs);
        }
        versions.put(
                CATALOG_SOURCE,
                Long.parseUnsignedLong(config.catalog().fingerprint().substring(0, 15), 16));
        return versions;
    }

    /**
     * The batches of every loaded table that has changes, in load order. dim_date's batch is not among
     * them: it holds the dates of the facts loaded, which {@link #calendarBatch} takes from the fact
     * batches' staging tables, so no fact batch is computed a second time.
     */
    List<Batch> batches(Map<String, Long> loaded, Map<String, Long> targets) {
        List<Batch> batches = new ArrayList<>();
        for (Table t : schema.loadedTables()) {
            String source = t.source().get();
            if (source.equals(CALENDAR_SOURCE)) {
                continue;
            }
            Long to = targets.get(source);
            Long from = loaded.get(source);
            if (to == null || to.equals(from)) {
                continue;
            }
            if (source.equals(CATALOG_SOURCE)) {
                batches.add(new Batch(
                        t,
                        Mode.FULL,
                        "catalog " + config.catalog().fingerprint().substring(0, 12),
                        WarehouseRows.metrics(lake.spark(), config.catalog(), t)));
            } else {
                batches.add(lakeBatch(
                        t,
                        lake.table(TableContract.load(source)),
                        Optional.ofNullable(from).filter(f -> f < to),
                        to));
            }
        }
        return batches;
    }

    /** dim_date's batch: the dates, as {@code yyyyMMdd} date keys, of the fact rows staged and not deleted. */
    private Batch calendarBatch(Collection<Integer> dateKeys) {
        Table calendar = schema.tables().stream()
                .filter(t -> t.source().equals(Optional.of(CALENDAR_SOURCE)))
                .findFirst()
                .orElseThrow();
        Dataset<Row> dates = lake.spark()
                .createDataset(new ArrayList<>(dateKeys), Encoders.INT())
                .toDF("date_key")
                .select(to_date(col("date_key").cast("string"), "yyyyMMdd").as("date"));
        return new Batch(calendar, Mode.CHANGES, "dates of the facts loaded", WarehouseRows.calendar(dates, calendar));
    }

    private Batch lakeBatch(Table t, LakeTable source, Optional<Long> from, long to) {
        if (from.isPresent()) {
            try {
                Dataset<Row> changes = source.changesAfter(from.get(), to);
                boolean onlyInserts = source.onlyInsertsAfter(from.get(), to);
                return new Batch(
                        t,
                        Mode.CHANGES,
                        "versions " + (from.get() + 1) + ".." + to + (onlyInserts ? ", inserts only" : ""),
                        onlyInserts ? WarehouseRows.inserts(changes, t) : WarehouseRows.net(changes, t));
            } catch (IllegalStateException noFeed) {
                LOG.info("{}; loading the whole table", noFeed.getMessage());
            }
        }
        Dataset<Row> rows = WarehouseRows.rows(source.readAt(to), t);
        if (!t.unknownMember().isEmpty()) {
            rows = rows.unionByName(WarehouseRows.unknownMember(lake.spark(), t));
        }
        return new Batch(t, Mode.FULL, "version " + to + ", whole table", rows);
    }

    /**
     * Stages one batch and applies it: delete the staged keys (or all rows), insert the staged rows. For
     * a fact table, adds the date keys of the staged rows that are not deletions to {@code factDates}.
     */
    private TableCounts load(Connection connection, Stager stager, Batch b, Progress progress, Set<Integer> factDates)
            throws Exception {
        Dialect dialect = config.target().dialect();
        Table t = b.table();
        lake.spark().sparkContext().setJobDescription(JOB + ": stage " + t.name());
        try (Statement s = connection.createStatement()) {
            for (String sql : dialect.createStage(t)) {
                s.execute(sql);
            }
            long staged = stager.stage(connection, t, b.rows());
            Failpoints.reach("warehouse.after-staging");
            if (t.kind() == Kind.FACT) {
                try (ResultSet rs = s.executeQuery(dialect.stagedDistinct(t, "date_key"))) {
                    while (rs.next()) {
                        factDates.add(rs.getInt(1));
                    }
                }
            }
            long deleted = s.executeUpdate(b.mode() == Mode.FULL ? dialect.deleteAll(t) : dialect.deleteStaged(t));
            long inserted = s.executeUpdate(dialect.insertStaged(t));
            s.execute("DROP TABLE " + Dialect.stage(t));
            TableCounts c =
                    new TableCounts(b.mode().name().toLowerCase(java.util.Locale.ROOT), staged, deleted, inserted);
            progress.step(
                    "%-20s %s: %,d rows staged, %,d deleted, %,d inserted",
                    t.name(), b.versions(), staged, deleted, inserted);
            return c;
        }
    }

    private void lock(Connection connection, Progress progress) throws SQLException {
        Optional<String> lock = config.target().dialect().lockLoads();
        if (lock.isPresent()) {
            progress.step("taking the load lock (waits while another load runs)");
            try (Statement s = connection.createStatement()) {
                s.execute(lock.get());
            }
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private Stager stager(String runId) {
        return switch (config.target().dialect()) {
            case POSTGRES -> new CopyStdinStager();
            case DUCKDB -> new ParquetFileStager(new ParquetStaging(lake.spark(), config.staging() + "/" + runId));
            case REDSHIFT ->
                new S3ManifestStager(
                        new ParquetStaging(lake.spark(), config.staging() + "/" + runId),
                        config.copy().orElseThrow());
        };
    }

    static LocalDateTime utc(Instant i) {
        return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
