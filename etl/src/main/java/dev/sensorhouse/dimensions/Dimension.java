package dev.sensorhouse.dimensions;

import dev.sensorhouse.zones.TableContract;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * One SCD type-2 dimension as its contract in {@code schemas/} defines it: the surrogate-key and
 * natural-key columns, the tracked columns with the attribute paths they are read from, how an
 * attribute's text becomes a column value, the hash of a version's tracked values and the surrogate
 * key of a version. Pure and serializable (used inside Spark tasks).
 *
 * <p>Tracked columns are strings, doubles or timestamps. A timestamp is ISO-8601 with an offset or
 * {@code Z} ({@code 2026-03-02T08:15:00Z}); a double is any decimal number text.
 */
public final class Dimension implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code valid_to} of an open version: 9999-12-31T00:00:00Z, in epoch microseconds. */
    public static final long OPEN_MICROS = Instant.parse("9999-12-31T00:00:00Z").getEpochSecond() * 1_000_000L;

    /** A tracked column: its name, kind and the attribute paths it is read from, first set one wins. */
    public record Tracked(String name, Kind kind, List<String> sources) implements Serializable {}

    /** The value kinds a tracked column can have. */
    public enum Kind {
        STRING,
        DOUBLE,
        TIMESTAMP
    }

    private final Entity entity;
    private final String tableName;
    private final List<Tracked> tracked;

    private Dimension(Entity entity, TableContract contract) {
        this.entity = entity;
        this.tableName = contract.table();
        List<Tracked> t = new ArrayList<>();
        for (TableContract.Column c : contract.trackedColumns()) {
            t.add(new Tracked(c.name(), kind(contract.table(), c.name(), c.type()), c.sources()));
        }
        this.tracked = List.copyOf(t);
    }

    public static Dimension of(Entity entity) {
        return new Dimension(entity, contract(entity));
    }

    public static TableContract contract(Entity entity) {
        return entity == Entity.DEVICE ? TableContract.DEVICES : TableContract.LOCATIONS;
    }

    private static Kind kind(String table, String column, DataType type) {
        if (type.equals(DataTypes.StringType)) {
            return Kind.STRING;
        }
        if (type.equals(DataTypes.DoubleType)) {
            return Kind.DOUBLE;
        }
        if (type.equals(DataTypes.TimestampType)) {
            return Kind.TIMESTAMP;
        }
        throw new IllegalStateException(
                table + "." + column + ": tracked columns must be string, double or timestamp, not " + type.sql());
    }

    public Entity entity() {
        return entity;
    }

    public String table() {
        return tableName;
    }

    public List<Tracked> tracked() {
        return tracked;
    }

    /** The surrogate-key column, e.g. {@code device_key}. */
    public String keyColumn() {
        return entity.code() + "_key";
    }

    /** The natural-key column, e.g. {@code device_id}. */
    public String naturalKeyColumn() {
        return entity.naturalKey();
    }

    /** The tracked columns' values of an item with these attributes: String, Double or Timestamp, or null. */
    public Object[] project(Map<String, String> attributes) {
        return values(columns(attributes));
    }

    /**
     * The tracked columns one change's attributes set: column name to the text of its first source
     * path present (a null text when that path is an explicit NULL); columns none of whose paths is
     * present are absent. Histories are folded in this column space, so a CDC image that nests
     * {@code placement.location_id} and a snapshot row with {@code location_id} set the same column.
     */
    public Map<String, String> columns(Map<String, String> attributes) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Tracked t : tracked) {
            for (String path : t.sources()) {
                if (attributes.containsKey(path)) {
                    String text = attributes.get(path);
                    out.put(t.name(), text);
                    if (text != null) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** The tracked columns' values from column texts ({@link #columns}): String, Double or Timestamp, or null. */
    public Object[] values(Map<String, String> columns) {
        Object[] values = new Object[tracked.size()];
        for (int i = 0; i < values.length; i++) {
            Tracked t = tracked.get(i);
            String text = columns.get(t.name());
            values[i] = text == null ? null : convert(t, text);
        }
        return values;
    }

    /**
     * Why these attributes cannot make a version (a tracked column's text that is not of its kind), or
     * empty when they can. The detail names the column, the attribute path and the text.
     */
    public Optional<String> invalid(Map<String, String> attributes) {
        for (Tracked t : tracked) {
            for (String path : t.sources()) {
                String text = attributes.get(path);
                if (text != null) {
                    try {
                        convert(t, text);
                    } catch (IllegalArgumentException e) {
                        return Optional.of(tableName + "." + t.name() + " (attribute " + path + "): " + e.getMessage());
                    }
                    break;
                }
            }
        }
        return Optional.empty();
    }

    private static Object convert(Tracked t, String text) {
        switch (t.kind()) {
            case STRING:
                return text;
            case DOUBLE:
                try {
                    double d = Double.parseDouble(text.trim());
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        throw new NumberFormatException();
                    }
                    return d;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("\"" + clip(text) + "\" is not a number");
                }
            default:
                try {
                    return Timestamp.from(OffsetDateTime.parse(text.trim()).toInstant());
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException(
                            "\"" + clip(text) + "\" is not an ISO-8601 timestamp with an offset");
                }
        }
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /** SHA-256 (hex) of tracked values in contract order; null and the empty string differ. */
    public static String hash(Object[] values) {
        MessageDigest sha = sha256();
        for (Object v : values) {
            if (v == null) {
                sha.update((byte) 0);
            } else {
                sha.update((byte) 1);
                String text = v instanceof Timestamp ts ? ts.toInstant().toString() : v.toString();
                sha.update(text.getBytes(StandardCharsets.UTF_8));
            }
            sha.update((byte) 0x1f);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * A version's surrogate key: the first 63 bits of SHA-256 over (entity, natural key, valid_from), so
     * the same history always gets the same keys, and a version keeps its key when a late change
     * splits the time after it. Never negative, so never the unknown member.
     */
    public long surrogateKey(String naturalKey, long validFromMicros) {
        MessageDigest sha = sha256();
        sha.update(entity.code().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(naturalKey.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Long.toString(validFromMicros).getBytes(StandardCharsets.UTF_8));
        byte[] d = sha.digest();
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = (k << 8) | (d[i] & 0xff);
        }
        return k & Long.MAX_VALUE;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
