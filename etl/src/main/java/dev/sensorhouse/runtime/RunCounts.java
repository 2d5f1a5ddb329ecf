package dev.sensorhouse.runtime;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run did, as counts: implemented by one record per job, whose components are the counts.
 * {@link #asMap()} turns any such record into the {@code control/job_runs.counts} map the same way:
 * each {@code long} component under its name in snake case ({@code linesIn} → {@code lines_in}), and
 * each {@code Map<String, Long>} component (counts by quarantine reason) as {@code quarantined.<reason>}
 * entries in reason order.
 */
public interface RunCounts {
    /** The prefix of the per-reason entries a {@code Map} component contributes. */
    String BY_REASON = "quarantined.";

    /** Whether the counts add up (every input accounted for); the lifecycle fails a run that does not. */
    default boolean reconciles() {
        return true;
    }

    /** The equation {@link #reconciles()} checks, with the figures, for the failure message. */
    default String reconciliation() {
        return asMap().toString();
    }

    /** The run's summary lines as the command prints them to stdout. */
    String summary(JobResult<?> result);

    /** The counts as stored in {@code control/job_runs.counts}. */
    default Map<String, Long> asMap() {
        if (!getClass().isRecord()) {
            throw new IllegalStateException(getClass() + " must be a record to map its counts");
        }
        Map<String, Long> m = new LinkedHashMap<>();
        for (RecordComponent c : getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read count " + c.getName() + " of " + getClass(), e);
            }
            if (value instanceof Long n) {
                m.put(snakeCase(c.getName()), n);
            } else if (value instanceof Map<?, ?> byReason) {
                new TreeMap<>(byReason).forEach((k, v) -> m.put(BY_REASON + k, ((Number) v).longValue()));
            } else {
                throw new IllegalStateException(
                        "count " + c.getName() + " of " + getClass() + " must be a long or a map of longs");
            }
        }
        return m;
    }

    /** {@code readingsUnknownDevice} → {@code readings_unknown_device}. */
    static String snakeCase(String camel) {
        StringBuilder s = new StringBuilder(camel.length() + 8);
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                s.append('_').append(Character.toLowerCase(ch));
            } else {
                s.append(ch);
            }
        }
        return s.toString();
    }
}
