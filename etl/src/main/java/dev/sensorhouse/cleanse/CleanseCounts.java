package dev.sensorhouse.cleanse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one cleanse run did with its lines. Every raw line is one cleansed event, one quarantined
 * line or one duplicate: {@code linesIn = eventsCleansed + linesQuarantined + duplicates}.
 * {@code readingsUnknownDevice} counts the cleansed readings that got the unknown-member device key
 * (no {@code dims/device} version valid at their event time); they are kept.
 */
public record CleanseCounts(
        long files,
        long linesIn,
        long eventsCleansed,
        long linesQuarantined,
        long duplicates,
        long readingsCleansed,
        long readingsQuarantined,
        long readingsUnknownDevice,
        long quarantineRows,
        Map<String, Long> quarantineRowsByReason) {

    public static final CleanseCounts NONE = new CleanseCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());

    public boolean reconciles() {
        return linesIn == eventsCleansed + linesQuarantined + duplicates;
    }

    /** The counts as stored in {@code control/job_runs.counts}; reasons as {@code quarantined.<reason>}. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("files", files);
        m.put("lines_in", linesIn);
        m.put("events_cleansed", eventsCleansed);
        m.put("lines_quarantined", linesQuarantined);
        m.put("duplicates", duplicates);
        m.put("readings_cleansed", readingsCleansed);
        m.put("readings_quarantined", readingsQuarantined);
        m.put("readings_unknown_device", readingsUnknownDevice);
        m.put("quarantine_rows", quarantineRows);
        new TreeMap<>(quarantineRowsByReason).forEach((reason, n) -> m.put("quarantined." + reason, n));
        return m;
    }
}
