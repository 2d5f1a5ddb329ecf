package dev.sensorhouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.cleanse.CleanseJob;
import dev.sensorhouse.dimensions.DimensionsConfig;
import dev.sensorhouse.dimensions.DimensionsJob;
import dev.sensorhouse.dimensions.NullRule;
import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.rollup.RollupJob;
import dev.sensorhouse.testing.Simulations;
import dev.sensorhouse.testing.SparkTestBase;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The run records of the three batch jobs, SUCCEEDED and FAILED, equal those the jobs wrote before
 * they shared one run lifecycle ({@link AuditedJob}). The expected rows in {@code
 * runtime/run-records.json} were recorded by running this scenario on the jobs as they were then
 * (with {@code -Dsensorhouse.records.write=FILE}); every column is compared except the wall-clock
 * ones (started/ended, seconds) and the rollup's watermark, which is the end time of a cleanse run.
 *
 * <p>The scenario: a simulated lake with its registry CDC; each job fails once at a failpoint
 * (restoring its tables and writing a FAILED row) and then succeeds; then a window re-cleanse and an
 * incremental rollup.
 */
class RunRecordsTest extends SparkTestBase {
    private static final String START = "2026-01-01T00:00:00Z";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void theJobsWriteTheSameRunRecordsAsBeforeTheSharedLifecycle() throws IOException {
        Path dir = lakeDir();
        Simulations.simulate(dir, START, 5150, "--devices", "4", "--duration", "2h", "--interval", "5m");
        Lake lake = Lake.at(spark(), dir.toString());
        DimensionsConfig dims = new DimensionsConfig(
                dir.toString(),
                Optional.empty(),
                Optional.of(dir.resolve("raw/registry_cdc").toString()),
                NullRule.KEEP);
        CleanseConfig cleanse = CleanseConfig.incremental(dir.toString());
        RollupConfig rollup = RollupConfig.incremental(dir.toString());

        failAt("dimensions.after-dims-commit", () -> new DimensionsJob(lake, dims, "test").run());
        new DimensionsJob(lake, dims, "test").run();
        failAt("cleanse.after-quarantine-commit", () -> new CleanseJob(lake, cleanse, "test").run());
        new CleanseJob(lake, cleanse, "test").run();
        failAt("rollup.after-hourly-commit", () -> new RollupJob(lake, rollup, "test").run());
        new RollupJob(lake, rollup, "test").run();
        new CleanseJob(
                        lake,
                        CleanseConfig.window(
                                dir.toString(), Instant.parse(START), Instant.parse("2026-01-01T03:00:00Z")),
                        "test")
                .run();
        new RollupJob(lake, rollup, "test").run();

        List<Map<String, Object>> records = new ArrayList<>();
        for (JobRun r : lake.jobRuns().all()) {
            records.add(comparable(r));
        }
        String write = System.getProperty("sensorhouse.records.write");
        if (write != null) {
            Files.writeString(Path.of(write), JSON.writeValueAsString(records));
            return;
        }
        try (InputStream in = getClass().getResourceAsStream("/runtime/run-records.json")) {
            assertThat(in).as("runtime/run-records.json").isNotNull();
            assertThat(JSON.writeValueAsString(records))
                    .isEqualTo(JSON.writeValueAsString(JSON.readValue(in, List.class)));
        }
    }

    private static void failAt(String failpoint, Runnable run) {
        System.setProperty("sensorhouse.failpoint", failpoint + ":throw");
        try {
            assertThatThrownBy(run::run).hasMessageContaining("failpoint " + failpoint + " reached");
        } finally {
            System.clearProperty("sensorhouse.failpoint");
        }
    }

    /** A run record without its wall-clock columns, as JSON-ready values. */
    private static Map<String, Object> comparable(JobRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", r.runId());
        m.put("attempt", r.attempt());
        m.put("job", r.job());
        m.put("mode", r.mode());
        m.put("window_start", r.windowStart().map(Instant::toString).orElse(null));
        m.put("window_end", r.windowEnd().map(Instant::toString).orElse(null));
        m.put("status", r.status().name());
        m.put(
                "watermark",
                r.job().equals("rollup")
                        ? "(end of a cleanse run)"
                        : r.watermark().map(Instant::toString).orElse(null));
        m.put("counts", new TreeMap<>(r.counts()));
        m.put("input_files", r.inputFiles());
        m.put("table_versions", new TreeMap<>(r.tableVersions()));
        m.put("error", r.error().orElse(null));
        m.put("args", r.args());
        return m;
    }
}
