package dev.sensorhouse.dimensions;

import java.util.Locale;

/**
 * What an explicit {@code {"NULL": true}} in a later CDC image does. The registry source document's
 * rule is {@link #KEEP}: each column takes its latest non-null value, so an attribute that is absent
 * or {@code NULL} in a later image keeps its previous value. {@link #CLEAR} lets an explicit
 * {@code NULL} clear it (an absent attribute still keeps its value).
 */
public enum NullRule {
    KEEP,
    CLEAR;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an option value; the error names {@code --cdc-nulls}. */
    public static NullRule of(String text) {
        for (NullRule r : values()) {
            if (r.code().equalsIgnoreCase(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("--cdc-nulls: expected keep or clear, got \"" + text + "\"");
    }
}
