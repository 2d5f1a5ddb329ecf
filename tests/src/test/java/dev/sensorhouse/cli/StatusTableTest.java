package dev.sensorhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.zones.JobRun;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusTableTest {
    private static JobRun run(
            String id, int attempt, JobRun.Status status, String start, long lines, Optional<String> error) {
        Instant started = Instant.parse(start);
        return new JobRun(
                id,
                attempt,
                "cleanse",
                "incremental",
                Optional.of(Instant.parse("2026-01-01T00:00:00Z")),
                Optional.of(Instant.parse("2026-01-02T00:00:00Z")),
                status,
                started,
                started.plusSeconds(12),
                Optional.of(Instant.parse("2026-01-01T23:00:00Z")),
                Map.of(
                        "lines_in",
                        lines,
                        "events_cleansed",
                        Math.max(0, lines - 3),
                        "lines_quarantined",
                        Math.min(lines, 2L),
                        "duplicates",
                        Math.min(lines, 1L)),
                List.of("f"),
                Map.of(),
                error,
                "cleanse");
    }

    @Test
    void showsTheWatermarkOfTheLastSuccessAndRecentRunsNewestFirst() {
        String table = StatusCommand.render(
                List.of(
                        run("cleanse-aaa", 1, JobRun.Status.SUCCEEDED, "2026-01-02T01:00:00Z", 1000, Optional.empty()),
                        run(
                                "cleanse-bbb",
                                1,
                                JobRun.Status.FAILED,
                                "2026-01-02T02:00:00Z",
                                0,
                                Optional.of("JobFailedException: disk full\nat ..."))),
                10);
        assertThat(table)
                .contains("Watermarks")
                .containsPattern("cleanse\\s+2026-01-01T23:00:00Z\\s+2026-01-02T01:00:12Z\\s+cleanse-aaa");
        assertThat(table.indexOf("cleanse-bbb")).isLessThan(table.lastIndexOf("cleanse-aaa"));
        assertThat(table)
                .contains("1,000")
                .contains("997")
                .contains("FAILED")
                .contains("error: JobFailedException: disk full");
        assertThat(table).doesNotContain("at ...");
    }

    @Test
    void saysSoWhenNothingRanYet() {
        assertThat(StatusCommand.render(List.of(), 10)).isEqualTo("no runs recorded yet in control/job_runs\n");
    }

    @Test
    void limitsTheRunsShown() {
        String table = StatusCommand.render(
                List.of(
                        run("cleanse-old", 1, JobRun.Status.SUCCEEDED, "2026-01-02T01:00:00Z", 5, Optional.empty()),
                        run("cleanse-new", 1, JobRun.Status.SUCCEEDED, "2026-01-02T02:00:00Z", 5, Optional.empty())),
                1);
        assertThat(table).contains("cleanse-new").doesNotContain("cleanse-old");
    }
}
