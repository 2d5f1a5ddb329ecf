package dev.sensorhouse.cli;

import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.zones.JobRun;
import dev.sensorhouse.zones.Lake;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code sensorhouse status}: recent runs and each job's watermark, as tables. */
final class StatusCommand implements Command {
    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "print recent runs and watermarks from control/job_runs";
    }

    @Override
    public List<Option> options() {
        return List.of(CommonOptions.LAKE, Option.value("limit", "N", "20", "how many recent runs to show"));
    }

    @Override
    public int run(Options o) {
        String root = CommonOptions.existingLake(name(), o);
        int limit = o.integer("limit");
        Lake lake = Lake.at(SparkSessions.getOrCreate("sensorhouse-status"), root);
        List<JobRun> runs = lake.jobRuns().table().exists() ? lake.jobRuns().all() : List.of();
        System.out.print(render(runs, limit));
        return 0;
    }

    static String render(List<JobRun> runs, int limit) {
        StringBuilder s = new StringBuilder();
        if (runs.isEmpty()) {
            return "no runs recorded yet in control/job_runs\n";
        }
        s.append("Watermarks\n");
        Map<String, JobRun> latest = new LinkedHashMap<>();
        runs.stream().filter(r -> r.status() == JobRun.Status.SUCCEEDED).forEach(r -> latest.put(r.job(), r));
        String wfmt = "  %-14s %-22s %-22s %-24s%n";
        s.append(String.format(Locale.ROOT, wfmt, "job", "watermark", "last success", "run id"));
        latest.values()
                .forEach(r -> s.append(String.format(
                        Locale.ROOT, wfmt, r.job(), time(r.watermark()), time(Optional.of(r.endedAt())), r.runId())));
        s.append("\nRecent runs (newest first)\n");
        String fmt = "  %-24s %3s %-10s %-11s %-9s %-20s %-20s %8s %12s %12s %12s %10s%n";
        s.append(String.format(
                Locale.ROOT,
                fmt,
                "run id",
                "try",
                "job",
                "mode",
                "status",
                "window start",
                "window end",
                "seconds",
                "lines in",
                "cleansed",
                "quarantined",
                "duplicates"));
        List<JobRun> recent = runs.subList(Math.max(0, runs.size() - limit), runs.size());
        for (int i = recent.size() - 1; i >= 0; i--) {
            JobRun r = recent.get(i);
            s.append(String.format(
                    Locale.ROOT,
                    fmt,
                    r.runId(),
                    r.attempt(),
                    r.job(),
                    r.mode(),
                    r.status(),
                    time(r.windowStart()),
                    time(r.windowEnd()),
                    String.format(Locale.ROOT, "%.1f", r.seconds()),
                    n(r, "lines_in"),
                    n(r, "events_cleansed"),
                    n(r, "lines_quarantined"),
                    n(r, "duplicates")));
            r.error()
                    .ifPresent(e -> s.append("      error: ")
                            .append(e.lines().findFirst().orElse(""))
                            .append('\n'));
        }
        return s.toString();
    }

    private static String n(JobRun r, String count) {
        return r.counts().containsKey(count)
                ? String.format(Locale.ROOT, "%,d", r.counts().get(count))
                : "-";
    }

    private static String time(Optional<Instant> t) {
        return t.map(i -> i.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-");
    }
}
