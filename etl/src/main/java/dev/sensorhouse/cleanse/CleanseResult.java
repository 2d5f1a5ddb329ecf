package dev.sensorhouse.cleanse;

import java.util.Locale;

/** A finished cleanse run: its id, counts and timing. */
public record CleanseResult(String runId, int attempt, CleanseCounts counts, double seconds) {
    public double eventsPerSecond() {
        return seconds <= 0 ? 0 : counts.linesIn() / seconds;
    }

    /** The run summary printed by the command line. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "cleanse run %s (attempt %d)%n", runId, attempt));
        s.append(String.format(Locale.ROOT, "  %-22s %,14d%n", "files", counts.files()));
        s.append(String.format(Locale.ROOT, "  %-22s %,14d%n", "lines in", counts.linesIn()));
        s.append(String.format(Locale.ROOT, "  %-22s %,14d%n", "events cleansed", counts.eventsCleansed()));
        s.append(String.format(Locale.ROOT, "  %-22s %,14d%n", "lines quarantined", counts.linesQuarantined()));
        s.append(String.format(Locale.ROOT, "  %-22s %,14d%n", "duplicates", counts.duplicates()));
        s.append(String.format(Locale.ROOT, "  %-22s %,14d%n", "readings cleansed", counts.readingsCleansed()));
        s.append(String.format(Locale.ROOT, "  %-22s %,14d%n", "readings quarantined", counts.readingsQuarantined()));
        s.append(String.format(
                Locale.ROOT, "  %-22s %,14d%n", "unknown-device readings", counts.readingsUnknownDevice()));
        s.append(String.format(Locale.ROOT, "  quarantine rows by reason:%n"));
        counts.quarantineRowsByReason().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> s.append(String.format(Locale.ROOT, "    %-20s %,14d%n", e.getKey(), e.getValue())));
        s.append(String.format(Locale.ROOT, "  %-22s %14.1f%n", "seconds", seconds));
        s.append(String.format(Locale.ROOT, "  %-22s %,14.0f%n", "events per second", eventsPerSecond()));
        return s.toString();
    }
}
