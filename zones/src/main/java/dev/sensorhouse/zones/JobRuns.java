package dev.sensorhouse.zones;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

/**
 * The {@code control/job_runs} table. Appending a run's row is the last commit of every job: a run
 * without a SUCCEEDED row did not happen as far as bookmarks are concerned, and its successor redoes
 * its work.
 */
public final class JobRuns {
    private final SparkSession spark;
    private final LakeTable table;

    JobRuns(SparkSession spark, LakeTable table) {
        this.spark = spark;
        this.table = table;
    }

    public LakeTable table() {
        return table;
    }

    public void append(JobRun run) {
        table.ensureExists();
        table.append(spark.createDataFrame(List.of(toRow(run)), table.contract().schema()));
    }

    /** Every run, oldest first. The table holds one small row per run, so it is read whole. */
    public List<JobRun> all() {
        List<JobRun> runs = new ArrayList<>();
        for (Row row : table.read().collectAsList()) {
            runs.add(fromRow(row));
        }
        runs.sort(Comparator.comparing(JobRun::startedAt).thenComparing(JobRun::attempt));
        return runs;
    }

    /** The successful runs of one job, oldest first. */
    public List<JobRun> succeeded(String job) {
        return succeeded(all(), job);
    }

    /** The successful runs of one job in a run history, in its order. */
    public static List<JobRun> succeeded(List<JobRun> history, String job) {
        return history.stream()
                .filter(r -> r.job().equals(job) && r.status() == JobRun.Status.SUCCEEDED)
                .toList();
    }

    private static Row toRow(JobRun run) {
        return RowFactory.create(
                run.runId(),
                run.attempt(),
                run.job(),
                run.mode(),
                run.windowStart().map(Timestamp::from).orElse(null),
                run.windowEnd().map(Timestamp::from).orElse(null),
                run.status().name(),
                Timestamp.from(run.startedAt()),
                Timestamp.from(run.endedAt()),
                run.seconds(),
                run.watermark().map(Timestamp::from).orElse(null),
                JavaConverters.mapAsScalaMap(run.counts()),
                JavaConverters.asScalaBuffer(run.inputFiles()).toSeq(),
                run.inputBytes().isEmpty() ? null : JavaConverters.mapAsScalaMap(run.inputBytes()),
                JavaConverters.mapAsScalaMap(run.tableVersions()),
                run.error().orElse(null),
                run.args());
    }

    private static JobRun fromRow(Row row) {
        return new JobRun(
                row.getAs("run_id"),
                row.<Integer>getAs("attempt"),
                row.getAs("job"),
                row.getAs("mode"),
                instant(row.getAs("window_start")),
                instant(row.getAs("window_end")),
                JobRun.Status.valueOf(row.getAs("status")),
                row.<Timestamp>getAs("started_at").toInstant(),
                row.<Timestamp>getAs("ended_at").toInstant(),
                instant(row.getAs("watermark")),
                longMap(row.getJavaMap(row.fieldIndex("counts"))),
                List.copyOf(row.getList(row.fieldIndex("input_files"))),
                row.isNullAt(row.fieldIndex("input_bytes"))
                        ? Map.of()
                        : longMap(row.getJavaMap(row.fieldIndex("input_bytes"))),
                longMap(row.getJavaMap(row.fieldIndex("table_versions"))),
                Optional.ofNullable(row.getAs("error")),
                row.getAs("args"));
    }

    private static Optional<Instant> instant(Timestamp ts) {
        return Optional.ofNullable(ts).map(Timestamp::toInstant);
    }

    private static Map<String, Long> longMap(Map<Object, Object> in) {
        Map<String, Long> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put((String) k, ((Number) v).longValue()));
        return out;
    }
}
