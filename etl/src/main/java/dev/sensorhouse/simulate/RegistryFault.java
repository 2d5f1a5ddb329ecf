package dev.sensorhouse.simulate;

import java.util.Locale;

/**
 * A fault the simulator injects into the device registry's files (see {@link Registry}), apart from
 * the event faults of {@link FaultKind}. None are injected at fault level {@code none}; otherwise
 * each kind gets {@code max(floor, round(rate × base))} occurrences, with the heavy level five times
 * the default rate like the event faults, so even a small default run has a handful of each.
 *
 * <p>Every damaged line or row is an <em>extra</em>, damaged copy of an intact line or row that is
 * also written, so the expected SCD2 outcomes in the report do not depend on how a reader treats
 * them, as long as it rejects them. Damaged CDC copies always arrive after their intact record.
 */
public enum RegistryFault {
    /** An identical CDC line (same eventID and SequenceNumber) delivered again in a later arrival hour. */
    DUPLICATE(Base.CDC_RECORDS, 0.004, 3, "an identical CDC line delivered again 1-6 arrival hours later"),
    /**
     * A short maintenance flap (status changed and changed back 5-50 minutes later) whose first record
     * is delivered 1-6 hours late, in an arrival hour after the one of the newer change of the item.
     */
    OUT_OF_ORDER(
            Base.DEVICE_DAYS,
            0.01,
            3,
            "a change record delivered in an arrival hour after a newer change of the same item"),
    /** A truncated copy of a CDC line: not JSON. */
    MALFORMED_JSON(Base.CDC_RECORDS, 0.003, 3, "a truncated copy of a CDC line (not JSON)"),
    /** A copy of a CDC record without {@code dynamodb.SequenceNumber}. */
    MISSING_FIELD(Base.CDC_RECORDS, 0.003, 3, "a copy of a CDC record without dynamodb.SequenceNumber"),
    /** A copy of a device snapshot row with one field too many or too few. */
    MALFORMED_ROW(
            Base.SNAPSHOT_DEVICE_ROWS, 0.0005, 3, "a copy of a device snapshot row with 7 or 9 fields instead of 8"),
    /**
     * A device removed from the registry (REMOVE) and inserted again 2-12 hours later with a new
     * installed_at, leaving a gap in its history; it keeps sending events during the gap. Only in
     * runs of at least a day; at least one when there are 50 devices or more.
     */
    RE_REGISTERED(
            Base.DEVICE_DAYS, 0.002, 1, "a device removed and inserted again 2-12 h later (a gap in its history)");

    /** What the rate is a fraction of. */
    enum Base {
        CDC_RECORDS,
        DEVICE_DAYS,
        SNAPSHOT_DEVICE_ROWS
    }

    private final Base base;
    private final double defaultRate;
    private final int defaultFloor;
    private final String description;

    RegistryFault(Base base, double defaultRate, int defaultFloor, String description) {
        this.base = base;
        this.defaultRate = defaultRate;
        this.defaultFloor = defaultFloor;
        this.description = description;
    }

    /** The snake_case code, e.g. {@code out_of_order}; also the reason code a reader should use. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    Base base() {
        return base;
    }

    /**
     * How many to inject at {@code level} for a base ({@link Base}) of {@code base}: none at {@code
     * none}, {@code max(floor, round(rate × base))} at {@code default}, {@code max(3 × floor, round(5 ×
     * rate × base))} at {@code heavy}.
     */
    long count(SimulateConfig.FaultLevel level, double base) {
        return switch (level) {
            case NONE -> 0;
            case DEFAULT -> Math.max(defaultFloor, Math.round(defaultRate * base));
            case HEAVY -> Math.max(3L * defaultFloor, Math.round(5 * defaultRate * base));
        };
    }
}
