package dev.sensorhouse.dimensions;

import java.util.Locale;

/** What a change in {@code dims/registry_changes} does to its item's attributes. */
public enum Op {
    /** A CDC INSERT or MODIFY: sets the new image's attributes; an absent one keeps its value (see {@link NullRule}). */
    UPSERT,
    /** A snapshot row: the item is exactly these attributes. */
    IMAGE,
    /** A CDC REMOVE, or an item missing from a snapshot: ends the current version. */
    DELETE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Op of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
