package dev.sensorhouse.dimensions;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SCD type-2 history of one registry item, computed from all of its changes. Pure: the same
 * changes give the same versions, whatever order they arrived in, which is what makes a late
 * (older) change land in its place instead of corrupting the versions after it.
 *
 * <ol>
 *   <li>Order the changes by effective time, then change id (the CDC sequence number, zero-padded),
 *       so changes with equal timestamps apply in sequence order.
 *   <li>Apply them to the item's tracked columns ({@link Dimension#columns}: each column from the
 *       first of its attribute paths the change has): {@link Op#UPSERT} sets each non-null column
 *       and, under {@link NullRule#CLEAR}, clears each explicit null; {@link Op#IMAGE} replaces all
 *       columns; {@link Op#DELETE} removes the item. An upsert of a removed item starts from
 *       nothing (a re-registered device does not inherit its old values).
 *   <li>After the last change at each effective time, compare the tracked values' hash with the open
 *       version: a new hash closes it (valid_to = that time) and opens a new one; a removed item
 *       closes it. Changes at one instant therefore make at most one version, and a change of an
 *       untracked attribute makes none.
 * </ol>
 */
public final class History {
    private History() {}

    /** One change of an item, as stored in {@code dims/registry_changes}. */
    public record Change(String changeId, long effectiveMicros, Op op, Map<String, String> attributes, String source)
            implements Serializable {
        public Change {
            attributes = attributes == null ? Map.of() : attributes;
        }
    }

    /**
     * One version: surrogate key, tracked values (contract order), their hash, validity in epoch
     * microseconds ({@code validToMicros} is {@link Dimension#OPEN_MICROS} while open), and the change
     * that opened it.
     */
    public record Version(
            long key,
            Object[] tracked,
            String hash,
            long validFromMicros,
            long validToMicros,
            String source,
            String changeId) {
        public boolean current() {
            return validToMicros == Dimension.OPEN_MICROS;
        }
    }

    /** Epoch microseconds of a timestamp (the unit of the fold's times). */
    public static long micros(java.sql.Timestamp ts) {
        return Math.floorDiv(ts.getTime(), 1000L) * 1_000_000L + ts.getNanos() / 1000;
    }

    /** The timestamp of epoch microseconds. */
    public static java.sql.Timestamp timestamp(long micros) {
        java.sql.Timestamp ts = new java.sql.Timestamp(Math.floorDiv(micros, 1000L));
        ts.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
        return ts;
    }

    public static List<Version> of(Dimension dimension, String naturalKey, List<Change> changes, NullRule nulls) {
        List<Change> ordered = new ArrayList<>(changes);
        ordered.sort(Comparator.comparingLong(Change::effectiveMicros).thenComparing(Change::changeId));
        List<Version> versions = new ArrayList<>();
        Map<String, String> attributes = null;
        Version open = null;
        for (int i = 0; i < ordered.size(); i++) {
            Change c = ordered.get(i);
            attributes = apply(attributes, c.op(), dimension.columns(c.attributes()), nulls);
            boolean lastAtInstant =
                    i + 1 == ordered.size() || ordered.get(i + 1).effectiveMicros() != c.effectiveMicros();
            if (!lastAtInstant) {
                continue;
            }
            long at = c.effectiveMicros();
            if (attributes == null) {
                if (open != null) {
                    versions.add(close(open, at));
                    open = null;
                }
                continue;
            }
            Object[] tracked = dimension.values(attributes);
            String hash = Dimension.hash(tracked);
            if (open != null && open.hash().equals(hash)) {
                continue;
            }
            if (open != null) {
                versions.add(close(open, at));
            }
            open = new Version(
                    dimension.surrogateKey(naturalKey, at),
                    tracked,
                    hash,
                    at,
                    Dimension.OPEN_MICROS,
                    c.source(),
                    c.changeId());
        }
        if (open != null) {
            versions.add(open);
        }
        return versions;
    }

    private static Version close(Version v, long at) {
        return new Version(v.key(), v.tracked(), v.hash(), v.validFromMicros(), at, v.source(), v.changeId());
    }

    /** The item's tracked columns after one change; null when it does not exist. */
    private static Map<String, String> apply(
            Map<String, String> before, Op op, Map<String, String> columns, NullRule nulls) {
        switch (op) {
            case DELETE:
                return null;
            case IMAGE: {
                Map<String, String> after = new HashMap<>();
                columns.forEach((k, v) -> {
                    if (v != null) {
                        after.put(k, v);
                    }
                });
                return after;
            }
            default: {
                Map<String, String> after = before == null ? new HashMap<>() : new HashMap<>(before);
                columns.forEach((k, v) -> {
                    if (v != null) {
                        after.put(k, v);
                    } else if (nulls == NullRule.CLEAR) {
                        after.remove(k);
                    }
                });
                return after;
            }
        }
    }
}
