package dev.sensorhouse.simulate;

import java.util.Locale;

/**
 * A fault the simulator injects into the raw zone, with its rate per {@link
 * SimulateConfig.FaultLevel} and the outcome the cleanse job must produce for it. Each generated
 * event gets at most one fault; duplicates are only made of fault-free events.
 *
 * <p>Line-level kinds are checked by the cleanse job in declaration order (the first fault wins), so
 * each injected line is built to break only its own rule: an {@code invalid_device_id} line has every
 * field present and well typed, a {@code too_late} line has a well-formed timestamp, and so on.
 *
 * <p>Rates are fractions of generated events. {@code oversized_record} is rarer than the others on
 * purpose: each such line is 70-100 KB, so at 0.1 % it would add a third to the volume written.
 */
public enum FaultKind {
    OVERSIZED_RECORD(Outcome.LINE_QUARANTINED, 0.0002, 0.002, "a valid event padded past 65,536 bytes"),
    MALFORMED_JSON(Outcome.LINE_QUARANTINED, 0.003, 0.015, "truncated or broken JSON"),
    MISSING_FIELD(Outcome.LINE_QUARANTINED, 0.002, 0.015, "one of event_id, device_id, ts, metrics dropped"),
    INVALID_TYPE(Outcome.LINE_QUARANTINED, 0.002, 0.015, "a field of the wrong JSON type"),
    INVALID_DEVICE_ID(Outcome.LINE_QUARANTINED, 0.002, 0.015, "device_id breaking the id pattern"),
    INVALID_TIMESTAMP(Outcome.LINE_QUARANTINED, 0.002, 0.015, "unparsable ts"),
    FUTURE_TIMESTAMP(Outcome.LINE_QUARANTINED, 0.002, 0.015, "ts 2 h to 400 days after the arrival hour"),
    TOO_LATE(Outcome.LINE_QUARANTINED, 0.002, 0.015, "ts 10 to 90 days before the arrival hour"),
    UNKNOWN_METRIC(Outcome.READING_QUARANTINED, 0.003, 0.015, "one extra metric not in the catalog"),
    INVALID_UNIT(Outcome.READING_QUARANTINED, 0.002, 0.015, "one metric in a unit the catalog rejects"),
    OUT_OF_RANGE(Outcome.READING_QUARANTINED, 0.003, 0.015, "one metric far outside its range"),
    FAHRENHEIT(Outcome.CONVERTED, 0.003, 0.015, "temperature or engine_temp in fahrenheit"),
    DUPLICATE(Outcome.DUPLICATE, 0.003, 0.015, "an exact copy delivered again, same or later hour"),
    LATE(Outcome.CLEANSED_LATE, 0.002, 0.015, "arrives 1 h to 72 h after its event time");

    /** What the cleanse job does with a fault of this kind. */
    public enum Outcome {
        /** The whole line goes to quarantine with the kind's code as reason. */
        LINE_QUARANTINED("line quarantined, reason %s"),
        /** The event is cleansed without the faulty reading; one quarantine row with the kind's code. */
        READING_QUARANTINED("event cleansed minus one reading, plus one quarantine row %s"),
        /** The event is cleansed in full, converted to canonical units. */
        CONVERTED("event cleansed, converted to canonical units"),
        /** The extra copy is dropped and counted as a duplicate. */
        DUPLICATE("extra copy counted as duplicate"),
        /** The event is cleansed into its event-time partition. */
        CLEANSED_LATE("event cleansed into its event-time partition");

        private final String template;

        Outcome(String template) {
            this.template = template;
        }
    }

    private final Outcome outcome;
    private final double defaultRate;
    private final double heavyRate;
    private final String description;

    FaultKind(Outcome outcome, double defaultRate, double heavyRate, String description) {
        this.outcome = outcome;
        this.defaultRate = defaultRate;
        this.heavyRate = heavyRate;
        this.description = description;
    }

    /** The snake_case code, which for quarantining kinds is also the cleanse reason code. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The expected cleanse outcome in words, e.g. {@code line quarantined, reason too_late}. */
    public String outcomeText() {
        return String.format(Locale.ROOT, outcome.template, code());
    }

    /** What the simulator does to inject this fault. */
    public String description() {
        return description;
    }

    /** Fraction of generated events that get this fault at {@code level}. */
    public double rate(SimulateConfig.FaultLevel level) {
        return switch (level) {
            case NONE -> 0;
            case DEFAULT -> defaultRate;
            case HEAVY -> heavyRate;
        };
    }

    /** True when the cleanse job writes quarantine rows for this kind. */
    public boolean quarantines() {
        return outcome == Outcome.LINE_QUARANTINED || outcome == Outcome.READING_QUARANTINED;
    }
}
