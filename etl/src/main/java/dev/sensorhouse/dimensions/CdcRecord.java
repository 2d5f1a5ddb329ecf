package dev.sensorhouse.dimensions;

import static dev.sensorhouse.contract.Identifiers.DEVICE_ID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorhouse.quarantine.ReasonCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One change of the device registry, parsed from a DynamoDB-stream record as delivered through Kinesis
 * Data Streams or DynamoDB Streams (one JSON object per line; {@link CdcFiles} splits files).
 *
 * <p>{@code entity} and {@code naturalKey} come from the partition key {@code dynamodb.Keys.pk.S},
 * {@code PREFIX#naturalKey} (see {@link Entity#keyPrefix()}). {@code sequenceNumber} is the stream's
 * sequence number left-padded with zeros to 40 digits, so that comparing the strings orders changes of
 * one item as the stream did. {@code approximateCreation} is {@code dynamodb.ApproximateCreationDateTime}:
 * values of at least {@value #MILLIS_THRESHOLD} are epoch milliseconds (Kinesis Data Streams delivery),
 * smaller ones epoch seconds, possibly fractional (DynamoDB Streams' own format). {@code eventId} is
 * {@code eventID}, when present. {@code attributes} is the unnested {@code NewImage} ({@link
 * DynamoDbJson#unnest}) for INSERT and MODIFY, empty for REMOVE; {@code OldImage}, {@code tableName},
 * {@code eventSource} and the other envelope fields are not read.
 *
 * <p>Danger: {@code attributes} is a mutable map shared with whoever holds the record; treat it as
 * read-only. Sequence numbers order changes within one shard only, and {@code approximateCreation} is
 * approximate (to the second in DynamoDB Streams): neither is a global order across items.
 */
public record CdcRecord(
        Entity entity,
        String naturalKey,
        EventName eventName,
        String sequenceNumber,
        Instant approximateCreation,
        String eventId,
        LinkedHashMap<String, String> attributes) {

    /** Longest accepted line, in UTF-8 bytes: a 400 KB DynamoDB item as new and old image plus the envelope fits. */
    public static final int MAX_LINE_BYTES = 1 << 20;
    /** {@code ApproximateCreationDateTime} values from here on are epoch milliseconds (1973-03-03 as millis, year 5138 as seconds). */
    public static final long MILLIS_THRESHOLD = 100_000_000_000L;
    /** Same rule as device ids in raw events. */
    private static final Pattern SEQUENCE_NUMBER = Pattern.compile("[0-9]{1,40}");

    private static final String ZEROS = "0".repeat(40);
    /** Above every Instant as epoch milliseconds; checked before any arithmetic, so 1e999999999 is cheap to reject. */
    private static final BigDecimal MAX_TIME = new BigDecimal("1e20");

    private static final BigDecimal MIN_NANOSECOND = new BigDecimal("1e-9");

    public CdcRecord {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(naturalKey, "naturalKey");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(approximateCreation, "approximateCreation");
        Objects.requireNonNull(attributes, "attributes");
    }

    /** The kind of change, DynamoDB's {@code eventName}. */
    public enum EventName {
        INSERT,
        MODIFY,
        REMOVE
    }

    /** What {@link #parse} makes of one line: a record, or the reason to quarantine the line. */
    public sealed interface Outcome permits Outcome.Parsed, Outcome.Rejected {
        /** The line is a valid change record. */
        record Parsed(CdcRecord record) implements Outcome {}

        /**
         * The line is rejected: {@code detail} names the field or path and what was expected;
         * {@code naturalKey} is the key after {@code #} in {@code dynamodb.Keys.pk.S} when it could be read,
         * else null.
         */
        record Rejected(ReasonCode reason, String detail, String naturalKey) implements Outcome {}
    }

    /**
     * Parses one CDC line. The first fault wins, checked in this order:
     *
     * <ol>
     *   <li>{@code OVERSIZED_RECORD}: more than {@link #MAX_LINE_BYTES} bytes;
     *   <li>{@code MALFORMED_JSON}: blank, not JSON, or not a JSON object;
     *   <li>per field, in the order {@code eventName}, {@code eventID}, {@code dynamodb}, {@code Keys},
     *       {@code Keys.pk}, {@code ApproximateCreationDateTime}, {@code SequenceNumber}, {@code NewImage}
     *       (INSERT and MODIFY only): {@code MISSING_FIELD} when absent or null, {@code INVALID_TYPE} when of
     *       the wrong type or, for {@code Keys} and {@code NewImage}, holding a malformed typed value
     *       anywhere; {@code INVALID_TIMESTAMP} for a negative or unrepresentable creation time;
     *   <li>{@code UNKNOWN_ENTITY}: {@code pk} without {@code #} or with a prefix no {@link Entity} has;
     *   <li>{@code INVALID_DEVICE_ID}: a natural key that breaks the device-id pattern (for every entity).
     * </ol>
     */
    public static Outcome parse(String line) {
        int bytes = line.length() * 3 <= MAX_LINE_BYTES ? line.length() : line.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_LINE_BYTES) {
            return rejected(
                    ReasonCode.OVERSIZED_RECORD,
                    "line is " + bytes + " bytes, more than the limit of " + MAX_LINE_BYTES,
                    null);
        }
        if (line.isBlank()) {
            return rejected(
                    ReasonCode.MALFORMED_JSON, "empty line, expected a DynamoDB stream record (a JSON object)", null);
        }
        JsonNode root;
        try {
            root = DynamoDbJson.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return rejected(ReasonCode.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(), null);
        }
        if (!root.isObject()) {
            return rejected(
                    ReasonCode.MALFORMED_JSON,
                    "expected a DynamoDB stream record (a JSON object), got " + DynamoDbJson.kind(root),
                    null);
        }
        String key = keyHint(root);

        JsonNode name = root.path("eventName");
        if (absent(name)) {
            return rejected(ReasonCode.MISSING_FIELD, "required field \"eventName\" is missing", key);
        }
        EventName eventName = eventName(name);
        if (eventName == null) {
            return rejected(
                    ReasonCode.INVALID_TYPE,
                    "eventName must be one of INSERT, MODIFY, REMOVE, got " + DynamoDbJson.kind(name),
                    key);
        }
        JsonNode id = root.path("eventID");
        if (!absent(id) && !id.isTextual()) {
            return rejected(ReasonCode.INVALID_TYPE, "eventID must be a string, got " + DynamoDbJson.kind(id), key);
        }
        JsonNode dynamodb = root.path("dynamodb");
        if (absent(dynamodb)) {
            return rejected(ReasonCode.MISSING_FIELD, "required field \"dynamodb\" is missing", key);
        }
        if (!dynamodb.isObject()) {
            return rejected(
                    ReasonCode.INVALID_TYPE, "dynamodb must be an object, got " + DynamoDbJson.kind(dynamodb), key);
        }
        JsonNode keys = dynamodb.path("Keys");
        if (absent(keys)) {
            return rejected(ReasonCode.MISSING_FIELD, "required field \"dynamodb.Keys\" is missing", key);
        }
        LinkedHashMap<String, DynamoDbJson.TypedValue> keyValues;
        try {
            keyValues = DynamoDbJson.unnestTyped(keys);
        } catch (DynamoDbJson.InvalidImageException e) {
            return rejected(ReasonCode.INVALID_TYPE, at("dynamodb.Keys", e), key);
        }
        if (!keyValues.containsKey("pk")) {
            return rejected(ReasonCode.MISSING_FIELD, "required field \"dynamodb.Keys.pk\" is missing", key);
        }
        DynamoDbJson.TypedValue pk = keyValues.get("pk");
        if (pk.type() != DynamoDbJson.TypedValue.Type.S) {
            return rejected(
                    ReasonCode.INVALID_TYPE,
                    "dynamodb.Keys.pk must be a string key {\"S\": \"PREFIX#key\"}, got type " + pk.type(),
                    key);
        }
        JsonNode created = dynamodb.path("ApproximateCreationDateTime");
        if (absent(created)) {
            return rejected(
                    ReasonCode.MISSING_FIELD,
                    "required field \"dynamodb.ApproximateCreationDateTime\" is missing",
                    key);
        }
        if (!created.isNumber()) {
            return rejected(
                    ReasonCode.INVALID_TYPE,
                    "dynamodb.ApproximateCreationDateTime must be a number (epoch seconds, or epoch milliseconds from "
                            + MILLIS_THRESHOLD
                            + " on), got "
                            + DynamoDbJson.kind(created),
                    key);
        }
        Instant approximateCreation;
        try {
            if ((created.isDouble() || created.isFloat()) && !Double.isFinite(created.doubleValue())) {
                throw new DateTimeException(
                        "is too large, expected epoch seconds or milliseconds"); // 1e999 is read as a double infinity
            }
            approximateCreation = instant(created.decimalValue());
        } catch (DateTimeException | ArithmeticException e) {
            return rejected(
                    ReasonCode.INVALID_TIMESTAMP,
                    "dynamodb.ApproximateCreationDateTime " + DynamoDbJson.clip(created.asText()) + " is not a time: "
                            + e.getMessage(),
                    key);
        }
        JsonNode sequence = dynamodb.path("SequenceNumber");
        if (absent(sequence)) {
            return rejected(ReasonCode.MISSING_FIELD, "required field \"dynamodb.SequenceNumber\" is missing", key);
        }
        if (!sequence.isTextual()
                || !SEQUENCE_NUMBER.matcher(sequence.textValue()).matches()) {
            return rejected(
                    ReasonCode.INVALID_TYPE,
                    "dynamodb.SequenceNumber must be a string of 1 to 40 digits, got " + DynamoDbJson.kind(sequence),
                    key);
        }
        LinkedHashMap<String, String> attributes = new LinkedHashMap<>();
        if (eventName != EventName.REMOVE) {
            JsonNode image = dynamodb.path("NewImage");
            if (absent(image)) {
                return rejected(
                        ReasonCode.MISSING_FIELD,
                        "required field \"dynamodb.NewImage\" is missing for " + eventName
                                + "; the stream's StreamViewType must include new images (NEW_IMAGE or NEW_AND_OLD_IMAGES)",
                        key);
            }
            try {
                attributes = DynamoDbJson.unnest(image);
            } catch (DynamoDbJson.InvalidImageException e) {
                return rejected(ReasonCode.INVALID_TYPE, at("dynamodb.NewImage", e), key);
            }
        }

        String pkText = pk.text();
        int hash = pkText.indexOf('#');
        Entity entity =
                hash < 0 ? null : Entity.ofKeyPrefix(pkText.substring(0, hash)).orElse(null);
        if (entity == null) {
            return rejected(
                    ReasonCode.UNKNOWN_ENTITY,
                    "dynamodb.Keys.pk \"" + DynamoDbJson.clip(pkText)
                            + "\" is not PREFIX#key with a known prefix; expected " + knownPrefixes(),
                    key);
        }
        String naturalKey = pkText.substring(hash + 1);
        if (!DEVICE_ID.matcher(naturalKey).matches()) {
            return rejected(
                    ReasonCode.INVALID_DEVICE_ID,
                    entity.naturalKey() + " \"" + DynamoDbJson.clip(naturalKey)
                            + "\" (from dynamodb.Keys.pk) does not match " + DEVICE_ID.pattern(),
                    naturalKey);
        }
        String sequenceNumber = ZEROS.substring(sequence.textValue().length()) + sequence.textValue();
        String eventId = id.isTextual() ? id.textValue() : null;
        return new Outcome.Parsed(
                new CdcRecord(entity, naturalKey, eventName, sequenceNumber, approximateCreation, eventId, attributes));
    }

    /** Epoch seconds or, from {@link #MILLIS_THRESHOLD} on, epoch milliseconds; fractions below a nanosecond are truncated. */
    static Instant instant(BigDecimal value) {
        if (value.signum() < 0) {
            throw new DateTimeException("must not be negative");
        }
        if (value.compareTo(MAX_TIME) > 0) {
            throw new DateTimeException("is too large, expected epoch seconds or milliseconds");
        }
        if (value.compareTo(MIN_NANOSECOND) < 0) {
            return Instant.EPOCH; // also keeps 1e-999999999 from costing a huge division below
        }
        int nanosPerUnitDigits = value.compareTo(BigDecimal.valueOf(MILLIS_THRESHOLD)) >= 0 ? 6 : 9;
        BigInteger nanos = value.movePointRight(nanosPerUnitDigits)
                .setScale(0, RoundingMode.FLOOR)
                .toBigIntegerExact();
        BigInteger[] secondsAndNanos = nanos.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
        return Instant.ofEpochSecond(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
    }

    private static EventName eventName(JsonNode name) {
        if (name.isTextual()) {
            for (EventName e : EventName.values()) {
                if (e.name().equals(name.textValue())) {
                    return e;
                }
            }
        }
        return null;
    }

    /** The key after {@code #} in {@code dynamodb.Keys.pk.S}, for quarantine rows of records rejected before the key is checked. */
    private static String keyHint(JsonNode root) {
        JsonNode pk = root.path("dynamodb").path("Keys").path("pk").path("S");
        if (!pk.isTextual()) {
            return null;
        }
        int hash = pk.textValue().indexOf('#');
        return hash < 0 ? null : pk.textValue().substring(hash + 1);
    }

    private static boolean absent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    private static String at(String parent, DynamoDbJson.InvalidImageException e) {
        return (e.path().isEmpty() ? parent : parent + "." + e.path()) + ": " + e.problem();
    }

    private static String knownPrefixes() {
        StringBuilder s = new StringBuilder();
        for (Entity e : Entity.values()) {
            s.append(s.length() == 0 ? "" : " or ")
                    .append(e.keyPrefix())
                    .append("#<")
                    .append(e.naturalKey())
                    .append('>');
        }
        return s.toString();
    }

    private static Outcome rejected(ReasonCode reason, String detail, String naturalKey) {
        return new Outcome.Rejected(reason, detail, naturalKey);
    }
}
