package dev.sensorhouse.dimensions;

import java.util.Locale;

/**
 * A kind of registry item that has a dimension: its natural-key column and the key prefix its items
 * carry in the device registry's DynamoDB table ({@code pk = "DEVICE#<device_id>"}).
 */
public enum Entity {
    DEVICE("device_id", "DEVICE"),
    LOCATION("location_id", "LOCATION");

    private final String naturalKey;
    private final String keyPrefix;

    Entity(String naturalKey, String keyPrefix) {
        this.naturalKey = naturalKey;
        this.keyPrefix = keyPrefix;
    }

    /** The natural-key column, e.g. {@code device_id}. */
    public String naturalKey() {
        return naturalKey;
    }

    /** The registry's partition-key prefix before {@code #}, e.g. {@code DEVICE}. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** The name used in tables and paths, e.g. {@code device}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The entity whose key prefix is {@code prefix}, if any. */
    public static java.util.Optional<Entity> ofKeyPrefix(String prefix) {
        for (Entity e : values()) {
            if (e.keyPrefix.equals(prefix)) {
                return java.util.Optional.of(e);
            }
        }
        return java.util.Optional.empty();
    }
}
