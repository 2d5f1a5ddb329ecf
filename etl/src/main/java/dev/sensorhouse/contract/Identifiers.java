package dev.sensorhouse.contract;

import java.util.regex.Pattern;

/**
 * The identifier rule of the contracts: a raw event's {@code device_id} (as in {@code
 * schemas/contracts/raw-event.schema.json}), and every registry natural key (device and location ids).
 */
public final class Identifiers {
    /** 1–64 characters: a letter or digit, then letters, digits, {@code _ . : -}. */
    public static final Pattern DEVICE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$");

    private Identifiers() {}
}
