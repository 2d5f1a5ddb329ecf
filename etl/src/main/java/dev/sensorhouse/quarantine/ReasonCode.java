package dev.sensorhouse.quarantine;

/**
 * Why a raw line or a reading was quarantined. Line-level codes reject the whole record (a line, or one
 * object of a line holding several) and are checked in declaration order, so each record gets the first
 * fault it has; reading-level codes reject one metric of an otherwise good event. The file-level code
 * {@code unreadable_file} stands for the part of a raw file that could not be read (a truncated or
 * corrupt compressed file): the records before the damage are processed as usual.
 *
 * <p>The same codes also serve the registry inputs of the dimensions (DynamoDB-stream CDC records and
 * snapshot CSV rows): there {@code invalid_device_id} covers every entity's natural key, and two codes
 * only registry inputs use follow {@code too_late}: {@code unknown_entity} (a partition key whose prefix
 * is no {@code dev.sensorhouse.dimensions.Entity}) and {@code malformed_row} (a snapshot CSV row that
 * cannot be split into its columns). The cleanse job never produces them.
 */
public enum ReasonCode {
    UNREADABLE_FILE(Scope.FILE),
    OVERSIZED_RECORD(Scope.LINE),
    INVALID_ENCODING(Scope.LINE),
    MALFORMED_JSON(Scope.LINE),
    DUPLICATE_KEY(Scope.LINE),
    MISSING_FIELD(Scope.LINE),
    INVALID_TYPE(Scope.LINE),
    INVALID_DEVICE_ID(Scope.LINE),
    INVALID_TIMESTAMP(Scope.LINE),
    FUTURE_TIMESTAMP(Scope.LINE),
    TOO_LATE(Scope.LINE),
    UNKNOWN_ENTITY(Scope.LINE),
    MALFORMED_ROW(Scope.LINE),
    UNKNOWN_METRIC(Scope.READING),
    INVALID_UNIT(Scope.READING),
    OUT_OF_RANGE(Scope.READING);

    /** What a reason rejects. */
    public enum Scope {
        FILE,
        LINE,
        READING;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Scope scope;

    ReasonCode(Scope scope) {
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
    }

    /** The code as stored in {@code quarantine/events.reason_code}, e.g. {@code out_of_range}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
