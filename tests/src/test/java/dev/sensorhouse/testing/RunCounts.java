package dev.sensorhouse.testing;

import dev.sensorhouse.simulate.InjectionReport;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of a cleanse run in the form {@code control/job_runs.counts} holds them ({@code lines_in},
 * {@code events_cleansed}, {@code lines_quarantined}, {@code duplicates}, {@code readings_cleansed},
 * {@code quarantine_rows}, {@code quarantined.<reason>}), so a run record can be compared with the
 * simulator's {@code expected} outcome in one map assertion that names every differing count.
 *
 * <p>Reasons with zero rows are left out on both sides: a run record need not list a reason it never
 * met. Other keys of the run record (files, ...) are not part of the comparison.
 */
public final class RunCounts {
    private static final String[] TOTALS = {
        "lines_in", "events_cleansed", "lines_quarantined", "duplicates", "readings_cleansed", "quarantine_rows"
    };

    private RunCounts() {}

    /** The expected counts of a cleanse over everything the simulator wrote. */
    public static Map<String, Long> of(InjectionReport.Expected e) {
        Map<String, Long> m = new TreeMap<>();
        m.put("lines_in", e.linesIn());
        m.put("events_cleansed", e.eventsCleansed());
        m.put("lines_quarantined", e.linesQuarantined());
        m.put("duplicates", e.duplicates());
        m.put("readings_cleansed", e.readingsCleansed());
        m.put("quarantine_rows", e.quarantineRows());
        e.quarantineRowsByReason().forEach((reason, n) -> {
            if (n != 0) {
                m.put("quarantined." + reason, n);
            }
        });
        return m;
    }

    /** The comparable part of a run record's counts; a missing total reads as absent, not as zero. */
    public static Map<String, Long> of(Map<String, Long> runCounts) {
        Map<String, Long> m = new TreeMap<>();
        for (String total : TOTALS) {
            if (runCounts.containsKey(total)) {
                m.put(total, runCounts.get(total));
            }
        }
        runCounts.forEach((k, n) -> {
            if (k.startsWith("quarantined.") && n != 0) {
                m.put(k, n);
            }
        });
        return m;
    }

    /** {@code counts} plus {@code n} under {@code key} (e.g. redelivered lines on top of a report's expectation). */
    public static Map<String, Long> plus(Map<String, Long> counts, String key, long n) {
        Map<String, Long> m = new TreeMap<>(counts);
        m.merge(key, n, Long::sum);
        return m;
    }
}
