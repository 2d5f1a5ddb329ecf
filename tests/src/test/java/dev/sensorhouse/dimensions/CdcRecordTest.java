package dev.sensorhouse.dimensions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sensorhouse.dimensions.CdcRecord.EventName;
import dev.sensorhouse.dimensions.CdcRecord.Outcome;
import dev.sensorhouse.quarantine.ReasonCode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class CdcRecordTest {
    private static final String PADDED_SEQUENCE = "000000000000" + "4421584500000000017450439091";

    /** A copy of the example record to change, as a builder: {@code record().set("dynamodb.SequenceNumber", "\"7\"").line()}. */
    private static final class Fixture {
        private final ObjectNode root;

        Fixture() throws IOException {
            root = (ObjectNode) DynamoDbJson.read(DynamoDbJsonTest.exampleFile());
        }

        /** Sets the field at a dotted path to a JSON value. */
        Fixture set(String path, String json) throws IOException {
            parent(path).set(last(path), DynamoDbJson.read(json));
            return this;
        }

        Fixture remove(String path) {
            parent(path).remove(last(path));
            return this;
        }

        private ObjectNode parent(String path) {
            ObjectNode node = root;
            String[] parts = path.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                node = (ObjectNode) node.get(parts[i]);
            }
            return node;
        }

        private static String last(String path) {
            return path.substring(path.lastIndexOf('.') + 1);
        }

        String line() {
            return root.toString();
        }
    }

    private static Fixture record() throws IOException {
        return new Fixture();
    }

    private static CdcRecord parsed(String line) {
        Outcome outcome = CdcRecord.parse(line);
        assertThat(outcome).isInstanceOf(Outcome.Parsed.class);
        return ((Outcome.Parsed) outcome).record();
    }

    private static Outcome.Rejected rejected(String line) {
        Outcome outcome = CdcRecord.parse(line);
        assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
        return (Outcome.Rejected) outcome;
    }

    @Test
    void exampleFileParsesIntoOneDeviceChange() throws Exception {
        List<CdcFiles.NumberedRecord> records = CdcFiles.records(DynamoDbJsonTest.exampleFile());
        assertThat(records).hasSize(1);

        CdcRecord r = parsed(records.get(0).text());

        assertThat(r.entity()).isEqualTo(Entity.DEVICE);
        assertThat(r.naturalKey()).isEqualTo("farm-07-probe-0123");
        assertThat(r.eventName()).isEqualTo(EventName.MODIFY);
        assertThat(r.sequenceNumber()).isEqualTo(PADDED_SEQUENCE).hasSize(40);
        assertThat(r.approximateCreation()).isEqualTo(Instant.ofEpochMilli(1763638923614L));
        assertThat(r.eventId()).isEqualTo("6d24680a-6d12-49e2-8a6b-86ffdc7306c1");
        JsonNode newImage = DynamoDbJson.read(DynamoDbJsonTest.exampleFile())
                .path("dynamodb")
                .path("NewImage");
        assertThat(new ArrayList<>(r.attributes().entrySet()))
                .containsExactlyElementsOf(DynamoDbJson.unnest(newImage).entrySet());
        assertThat(r.attributes())
                .containsEntry("placement.history[0].location_id", "loc-farm07-south")
                .containsEntry("notes", null);
    }

    @Test
    void insertCarriesItsNewImage() throws Exception {
        CdcRecord r = parsed(record().set("eventName", "\"INSERT\"")
                .remove("dynamodb.OldImage")
                .line());

        assertThat(r.eventName()).isEqualTo(EventName.INSERT);
        assertThat(r.attributes()).hasSize(17).containsEntry("firmware", "2.4.1");
    }

    @Test
    void removeHasNoAttributesAndNeedsNoNewImage() throws Exception {
        CdcRecord r = parsed(record().set("eventName", "\"REMOVE\"")
                .remove("dynamodb.NewImage")
                .line());

        assertThat(r.eventName()).isEqualTo(EventName.REMOVE);
        assertThat(r.attributes()).isEmpty();
        assertThat(r.naturalKey()).isEqualTo("farm-07-probe-0123");
    }

    @Test
    void locationKeysGiveLocationRecords() throws Exception {
        CdcRecord r = parsed(record().set("dynamodb.Keys.pk", "{\"S\": \"LOCATION#loc-farm07-north\"}")
                .line());

        assertThat(r.entity()).isEqualTo(Entity.LOCATION);
        assertThat(r.naturalKey()).isEqualTo("loc-farm07-north");
    }

    @Test
    void missingEventIdIsNull() throws Exception {
        assertThat(parsed(record().remove("eventID").line()).eventId()).isNull();
    }

    @Test
    void smallCreationTimesAreEpochSecondsAndLargeOnesEpochMillis() throws Exception {
        assertThat(parsed(record().set("dynamodb.ApproximateCreationDateTime", "1763638923")
                                .line())
                        .approximateCreation())
                .isEqualTo(Instant.ofEpochSecond(1763638923L));
        assertThat(parsed(record().set("dynamodb.ApproximateCreationDateTime", "1.763638923E9")
                                .line())
                        .approximateCreation())
                .isEqualTo(Instant.ofEpochSecond(1763638923L));
        assertThat(parsed(record().set("dynamodb.ApproximateCreationDateTime", "1763638923.25")
                                .line())
                        .approximateCreation())
                .isEqualTo(Instant.ofEpochSecond(1763638923L, 250_000_000L));
        assertThat(parsed(record().set("dynamodb.ApproximateCreationDateTime", "99999999999")
                                .line())
                        .approximateCreation())
                .isEqualTo(Instant.ofEpochSecond(99_999_999_999L));
        assertThat(parsed(record().set("dynamodb.ApproximateCreationDateTime", "100000000000")
                                .line())
                        .approximateCreation())
                .isEqualTo(Instant.ofEpochMilli(100_000_000_000L));
        assertThat(parsed(record().set("dynamodb.ApproximateCreationDateTime", "1763638923614")
                                .line())
                        .approximateCreation())
                .isEqualTo(Instant.ofEpochMilli(1763638923614L));
    }

    @Test
    void sequenceNumbersArePaddedSoTheyCompareNumerically() throws Exception {
        String nine =
                parsed(record().set("dynamodb.SequenceNumber", "\"9\"").line()).sequenceNumber();
        String ten =
                parsed(record().set("dynamodb.SequenceNumber", "\"10\"").line()).sequenceNumber();
        String forty = parsed(record().set("dynamodb.SequenceNumber", "\"" + "9".repeat(40) + "\"")
                        .line())
                .sequenceNumber();

        assertThat(nine).isEqualTo("0".repeat(39) + "9");
        assertThat(nine.compareTo(ten)).isNegative();
        assertThat(forty).isEqualTo("9".repeat(40));
    }

    @Test
    void oversizedLineIsRejectedBeforeParsing() throws Exception {
        String line = record().set("padding", "\"" + "x".repeat(CdcRecord.MAX_LINE_BYTES) + "\"")
                .line();

        Outcome.Rejected r = rejected(line);

        assertThat(r.reason()).isEqualTo(ReasonCode.OVERSIZED_RECORD);
        assertThat(r.detail()).isEqualTo("line is " + line.length() + " bytes, more than the limit of 1048576");
        assertThat(r.naturalKey()).isNull();
    }

    @Test
    void blankBrokenAndNonObjectLinesAreMalformedJson() {
        assertThat(rejected("   "))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.MALFORMED_JSON,
                        "empty line, expected a DynamoDB stream record (a JSON object)",
                        null));
        Outcome.Rejected broken = rejected("{\"eventName\": \"INSERT\", ");
        assertThat(broken.reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
        assertThat(broken.detail()).startsWith("not valid JSON: ");
        assertThat(rejected("{\"eventName\": \"INSERT\"} trailing").reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
        assertThat(rejected("[1, 2]"))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.MALFORMED_JSON,
                        "expected a DynamoDB stream record (a JSON object), got an array",
                        null));
    }

    @Test
    void missingRequiredFieldsAreNamed() throws Exception {
        String key = "farm-07-probe-0123";
        assertThat(rejected(record().remove("eventName").line()))
                .isEqualTo(
                        new Outcome.Rejected(ReasonCode.MISSING_FIELD, "required field \"eventName\" is missing", key));
        assertThat(rejected(record().set("eventName", "null").line()))
                .isEqualTo(
                        new Outcome.Rejected(ReasonCode.MISSING_FIELD, "required field \"eventName\" is missing", key));
        assertThat(rejected(record().remove("dynamodb").line()))
                .isEqualTo(
                        new Outcome.Rejected(ReasonCode.MISSING_FIELD, "required field \"dynamodb\" is missing", null));
        assertThat(rejected(record().remove("dynamodb.Keys").line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.MISSING_FIELD, "required field \"dynamodb.Keys\" is missing", null));
        assertThat(rejected(record().remove("dynamodb.Keys.pk").line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.MISSING_FIELD, "required field \"dynamodb.Keys.pk\" is missing", null));
        assertThat(rejected(
                        record().remove("dynamodb.ApproximateCreationDateTime").line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.MISSING_FIELD,
                        "required field \"dynamodb.ApproximateCreationDateTime\" is missing",
                        key));
        assertThat(rejected(record().remove("dynamodb.SequenceNumber").line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.MISSING_FIELD, "required field \"dynamodb.SequenceNumber\" is missing", key));
    }

    @Test
    void insertOrModifyWithoutNewImageSaysTheStreamViewTypeMustIncludeIt() throws Exception {
        for (String event : List.of("INSERT", "MODIFY")) {
            assertThat(rejected(record().set("eventName", "\"" + event + "\"")
                            .remove("dynamodb.NewImage")
                            .line()))
                    .isEqualTo(new Outcome.Rejected(
                            ReasonCode.MISSING_FIELD,
                            "required field \"dynamodb.NewImage\" is missing for " + event
                                    + "; the stream's StreamViewType must include new images (NEW_IMAGE or NEW_AND_OLD_IMAGES)",
                            "farm-07-probe-0123"));
        }
    }

    @Test
    void fieldsOfTheWrongTypeAreInvalidTypeWithWhatWasExpected() throws Exception {
        String key = "farm-07-probe-0123";
        assertThat(rejected(record().set("eventName", "\"UPDATE\"").line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.INVALID_TYPE,
                        "eventName must be one of INSERT, MODIFY, REMOVE, got a string \"UPDATE\"",
                        key));
        assertThat(rejected(record().set("eventName", "\"insert\"").line()).reason())
                .isEqualTo(ReasonCode.INVALID_TYPE);
        assertThat(rejected(record().set("eventID", "7").line()))
                .isEqualTo(
                        new Outcome.Rejected(ReasonCode.INVALID_TYPE, "eventID must be a string, got a number 7", key));
        assertThat(rejected(record().set("dynamodb", "[]").line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.INVALID_TYPE, "dynamodb must be an object, got an empty array", null));
        assertThat(rejected(record().set("dynamodb.ApproximateCreationDateTime", "\"2026-01-01T00:00:00Z\"")
                        .line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.INVALID_TYPE,
                        "dynamodb.ApproximateCreationDateTime must be a number (epoch seconds, or epoch milliseconds from 100000000000 on),"
                                + " got a string \"2026-01-01T00:00:00Z\"",
                        key));
        for (String bad : List.of("4421584500000000017450439091", "\"\"", "\"12a\"", "\"" + "1".repeat(41) + "\"")) {
            Outcome.Rejected r =
                    rejected(record().set("dynamodb.SequenceNumber", bad).line());
            assertThat(r.reason()).as(bad).isEqualTo(ReasonCode.INVALID_TYPE);
            assertThat(r.detail())
                    .as(bad)
                    .startsWith("dynamodb.SequenceNumber must be a string of 1 to 40 digits, got ");
        }
        assertThat(rejected(record().set("dynamodb.SequenceNumber", "\"12a\"").line())
                        .detail())
                .isEqualTo("dynamodb.SequenceNumber must be a string of 1 to 40 digits, got a string \"12a\"");
    }

    @Test
    void malformedTypedValuesInKeysOrNewImageNameTheirPath() throws Exception {
        String key = "farm-07-probe-0123";
        assertThat(rejected(record().set("dynamodb.NewImage.placement", "{\"M\": {\"depth_cm\": {\"N\": \"deep\"}}}")
                        .line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.INVALID_TYPE,
                        "dynamodb.NewImage.placement.depth_cm: N value \"deep\" is not a number",
                        key));
        assertThat(rejected(record().set("dynamodb.NewImage", "\"x\"").line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.INVALID_TYPE,
                        "dynamodb.NewImage: expected an image, an object of attribute name to typed value, got a string \"x\"",
                        key));
        assertThat(rejected(record().set("dynamodb.Keys.sk", "{\"S\": 1}").line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.INVALID_TYPE, "dynamodb.Keys.sk: S must be a string, got a number 1", key));
        assertThat(rejected(record().set("dynamodb.Keys.pk", "{\"N\": \"5\"}").line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.INVALID_TYPE,
                        "dynamodb.Keys.pk must be a string key {\"S\": \"PREFIX#key\"}, got type N",
                        null));
    }

    @Test
    void malformedOldImageIsIgnored() throws Exception {
        assertThat(CdcRecord.parse(
                        record().set("dynamodb.OldImage", "{\"a\": 1}").line()))
                .isInstanceOf(Outcome.Parsed.class);
    }

    @Test
    void negativeOrHugeCreationTimesAreInvalidTimestamps() throws Exception {
        assertThat(rejected(record().set("dynamodb.ApproximateCreationDateTime", "-5")
                        .line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.INVALID_TIMESTAMP,
                        "dynamodb.ApproximateCreationDateTime -5 is not a time: must not be negative",
                        "farm-07-probe-0123"));
        Outcome.Rejected huge = rejected(record().line().replace("1763638923614", "1e999999999"));
        assertThat(huge.reason()).isEqualTo(ReasonCode.INVALID_TIMESTAMP);
        assertThat(huge.detail())
                .startsWith("dynamodb.ApproximateCreationDateTime ")
                .contains("is too large");
        assertThat(rejected(record().set("dynamodb.ApproximateCreationDateTime", "99999999999999999999")
                                .line())
                        .reason())
                .isEqualTo(ReasonCode.INVALID_TIMESTAMP);
        assertThat(parsed(record().line().replace("1763638923614", "1e-999999999"))
                        .approximateCreation())
                .isEqualTo(Instant.EPOCH);
    }

    @Test
    void unknownKeyPrefixIsAnUnknownEntity() throws Exception {
        String expected = "; expected DEVICE#<device_id> or LOCATION#<location_id>";
        assertThat(rejected(record().set("dynamodb.Keys.pk", "{\"S\": \"CUSTOMER#CUST_123\"}")
                        .line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.UNKNOWN_ENTITY,
                        "dynamodb.Keys.pk \"CUSTOMER#CUST_123\" is not PREFIX#key with a known prefix" + expected,
                        "CUST_123"));
        assertThat(rejected(record().set("dynamodb.Keys.pk", "{\"S\": \"farm-07-probe-0123\"}")
                        .line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.UNKNOWN_ENTITY,
                        "dynamodb.Keys.pk \"farm-07-probe-0123\" is not PREFIX#key with a known prefix" + expected,
                        null));
        assertThat(rejected(record().set("dynamodb.Keys.pk", "{\"S\": \"device#x1\"}")
                                .line())
                        .reason())
                .isEqualTo(ReasonCode.UNKNOWN_ENTITY);
    }

    @Test
    void naturalKeyBreakingTheDeviceIdPatternIsAnInvalidDeviceId() throws Exception {
        assertThat(rejected(record().set("dynamodb.Keys.pk", "{\"S\": \"DEVICE#bad key\"}")
                        .line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.INVALID_DEVICE_ID,
                        "device_id \"bad key\" (from dynamodb.Keys.pk) does not match ^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$",
                        "bad key"));
        assertThat(rejected(record().set("dynamodb.Keys.pk", "{\"S\": \"LOCATION#\"}")
                        .line()))
                .isEqualTo(new Outcome.Rejected(
                        ReasonCode.INVALID_DEVICE_ID,
                        "location_id \"\" (from dynamodb.Keys.pk) does not match ^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$",
                        ""));
        String long65 = "a".repeat(65);
        assertThat(rejected(record().set("dynamodb.Keys.pk", "{\"S\": \"DEVICE#" + long65 + "\"}")
                                .line())
                        .reason())
                .isEqualTo(ReasonCode.INVALID_DEVICE_ID);
        assertThat(parsed(record().set("dynamodb.Keys.pk", "{\"S\": \"DEVICE#" + "a".repeat(64) + "\"}")
                                .line())
                        .naturalKey())
                .hasSize(64);
    }

    @Test
    void structuralFaultsWinOverKeyFaults() throws Exception {
        Outcome.Rejected r = rejected(record().set("dynamodb.Keys.pk", "{\"S\": \"CUSTOMER#1\"}")
                .remove("dynamodb.SequenceNumber")
                .line());

        assertThat(r.reason()).isEqualTo(ReasonCode.MISSING_FIELD);
    }

    @Test
    void attributesKeepNullsAndOrder() throws Exception {
        LinkedHashMap<String, String> attributes = parsed(record().line()).attributes();

        assertThat(attributes.keySet()).startsWith("pk", "sk", "device_id").endsWith("placement.history[1].until");
        assertThat(attributes).containsEntry("placement.history[1].until", null);
    }
}
