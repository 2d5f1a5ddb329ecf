package dev.sensorhouse.warehouse;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A committed load: its run, what it did per table, and the batch watermark it set. */
public record LoadResult(
        String runId,
        int attempt,
        String target,
        Map<String, TableCounts> tables,
        Optional<Instant> watermark,
        double seconds) {
    public long inserted() {
        return tables.values().stream().mapToLong(TableCounts::inserted).sum();
    }

    public long deleted() {
        return tables.values().stream().mapToLong(TableCounts::deleted).sum();
    }

    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "load-warehouse run %s (attempt %d) into %s%n", runId, attempt, target));
        if (tables.isEmpty()) {
            s.append("  nothing new in the lake since the last load\n");
        }
        tables.forEach((name, c) -> s.append(String.format(
                Locale.ROOT,
                "  %-22s %-8s %,12d staged %,12d deleted %,12d inserted%n",
                name,
                c.mode(),
                c.staged(),
                c.deleted(),
                c.inserted())));
        s.append(String.format(
                Locale.ROOT,
                "  %-22s %s%n",
                "batch watermark",
                watermark.map(Instant::toString).orElse("none")));
        s.append(String.format(Locale.ROOT, "  %-22s %14.1f%n", "seconds", seconds));
        return s.toString();
    }
}
