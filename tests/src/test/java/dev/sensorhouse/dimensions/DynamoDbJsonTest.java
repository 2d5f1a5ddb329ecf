package dev.sensorhouse.dimensions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorhouse.dimensions.DynamoDbJson.InvalidImageException;
import dev.sensorhouse.dimensions.DynamoDbJson.TypedValue;
import dev.sensorhouse.dimensions.DynamoDbJson.TypedValue.Type;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DynamoDbJsonTest {
    static String exampleFile() throws IOException {
        try (InputStream in =
                DynamoDbJsonTest.class.getClassLoader().getResourceAsStream("dimensions/dynamodb-stream-record.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode example() throws IOException {
        return DynamoDbJson.read(exampleFile());
    }

    /** The image of one attribute {@code a} with the typed value {@code typedJson}. */
    private static LinkedHashMap<String, TypedValue> one(String typedJson) throws Exception {
        return DynamoDbJson.unnestTyped(DynamoDbJson.read("{\"a\": " + typedJson + "}"));
    }

    private static InvalidImageException invalid(String imageJson) throws IOException {
        JsonNode image = DynamoDbJson.read(imageJson);
        try {
            DynamoDbJson.unnestTyped(image);
        } catch (InvalidImageException e) {
            return e;
        }
        throw new AssertionError("expected InvalidImageException for " + imageJson);
    }

    private static <V> List<Map.Entry<String, V>> entries(Map<String, V> map) {
        return new ArrayList<>(map.entrySet());
    }

    @Test
    void exampleNewImageUnnestsIntoOrderedPathsWithTheirTexts() throws Exception {
        LinkedHashMap<String, String> expected = new LinkedHashMap<>();
        expected.put("pk", "DEVICE#farm-07-probe-0123");
        expected.put("sk", "PROFILE");
        expected.put("device_id", "farm-07-probe-0123");
        expected.put("model", "SoilProbe X2");
        expected.put("firmware", "2.4.1");
        expected.put("installed_at", "2026-03-02T08:15:00Z");
        expected.put("active", "true");
        expected.put("battery_capacity_mah", "2400");
        expected.put("calibration_offset", "-0.35");
        expected.put("notes", null);
        expected.put("tags", "[\"soil\",\"north-field\"]");
        expected.put("placement.location_id", "loc-farm07-north");
        expected.put("placement.depth_cm", "30");
        expected.put("placement.history[0].location_id", "loc-farm07-south");
        expected.put("placement.history[0].until", "2026-09-01T00:00:00Z");
        expected.put("placement.history[1].location_id", "loc-farm07-north");
        expected.put("placement.history[1].until", null);

        LinkedHashMap<String, String> actual =
                DynamoDbJson.unnest(example().path("dynamodb").path("NewImage"));

        assertThat(entries(actual)).containsExactlyElementsOf(entries(expected));
    }

    @Test
    void exampleNewImageKeepsEachValuesDynamoDbType() throws Exception {
        LinkedHashMap<String, TypedValue> typed =
                DynamoDbJson.unnestTyped(example().path("dynamodb").path("NewImage"));

        LinkedHashMap<String, Type> types = new LinkedHashMap<>();
        typed.forEach((path, value) -> types.put(path, value.type()));
        LinkedHashMap<String, Type> expected = new LinkedHashMap<>();
        for (String s : List.of("pk", "sk", "device_id", "model", "firmware", "installed_at")) {
            expected.put(s, Type.S);
        }
        expected.put("active", Type.BOOL);
        expected.put("battery_capacity_mah", Type.N);
        expected.put("calibration_offset", Type.N);
        expected.put("notes", Type.NULL);
        expected.put("tags", Type.SS);
        expected.put("placement.location_id", Type.S);
        expected.put("placement.depth_cm", Type.N);
        expected.put("placement.history[0].location_id", Type.S);
        expected.put("placement.history[0].until", Type.S);
        expected.put("placement.history[1].location_id", Type.S);
        expected.put("placement.history[1].until", Type.NULL);
        assertThat(entries(types)).containsExactlyElementsOf(entries(expected));
        assertThat(typed.get("notes")).isEqualTo(new TypedValue(Type.NULL, null));
        assertThat(typed.get("calibration_offset")).isEqualTo(new TypedValue(Type.N, "-0.35"));
    }

    @Test
    void exampleOldImageUnnestsToItsSixAttributes() throws Exception {
        LinkedHashMap<String, String> expected = new LinkedHashMap<>();
        expected.put("pk", "DEVICE#farm-07-probe-0123");
        expected.put("sk", "PROFILE");
        expected.put("device_id", "farm-07-probe-0123");
        expected.put("model", "SoilProbe X2");
        expected.put("firmware", "2.3.9");
        expected.put("active", "true");

        assertThat(entries(DynamoDbJson.unnest(example().path("dynamodb").path("OldImage"))))
                .containsExactlyElementsOf(entries(expected));
    }

    @Test
    void explicitNullIsAPresentKeyWithANullValue() throws Exception {
        LinkedHashMap<String, String> map = DynamoDbJson.unnest(DynamoDbJson.read("{\"notes\": {\"NULL\": true}}"));
        assertThat(map).containsOnlyKeys("notes");
        assertThat(map.get("notes")).isNull();
    }

    @Test
    void eachScalarTypeGivesItsText() throws Exception {
        assertThat(one("{\"S\": \"hello\"}")).containsExactly(Map.entry("a", new TypedValue(Type.S, "hello")));
        assertThat(one("{\"S\": \"\"}")).containsExactly(Map.entry("a", new TypedValue(Type.S, "")));
        assertThat(one("{\"N\": \"30\"}")).containsExactly(Map.entry("a", new TypedValue(Type.N, "30")));
        assertThat(one("{\"N\": \"-0.35\"}")).containsExactly(Map.entry("a", new TypedValue(Type.N, "-0.35")));
        assertThat(one("{\"N\": \"1.50E+3\"}")).containsExactly(Map.entry("a", new TypedValue(Type.N, "1.50E+3")));
        assertThat(one("{\"B\": \"AAEC\"}")).containsExactly(Map.entry("a", new TypedValue(Type.B, "AAEC")));
        assertThat(one("{\"BOOL\": true}")).containsExactly(Map.entry("a", new TypedValue(Type.BOOL, "true")));
        assertThat(one("{\"BOOL\": false}")).containsExactly(Map.entry("a", new TypedValue(Type.BOOL, "false")));
        assertThat(one("{\"NULL\": true}")).containsExactly(Map.entry("a", new TypedValue(Type.NULL, null)));
    }

    @Test
    void bareNumberNKeepsItsDigitsAndScale() throws Exception {
        assertThat(one("{\"N\": 50.00}")).containsExactly(Map.entry("a", new TypedValue(Type.N, "50.00")));
        assertThat(one("{\"N\": 1000}")).containsExactly(Map.entry("a", new TypedValue(Type.N, "1000")));
        assertThat(one("{\"N\": -0.35}")).containsExactly(Map.entry("a", new TypedValue(Type.N, "-0.35")));
        assertThat(one("{\"N\": 123456789012345678901234567890}"))
                .containsExactly(Map.entry("a", new TypedValue(Type.N, "123456789012345678901234567890")));
        assertThat(one("{\"N\": 1e3}")).containsExactly(Map.entry("a", new TypedValue(Type.N, "1000")));
    }

    @Test
    void setsBecomeCompactJsonArraysOfStrings() throws Exception {
        assertThat(one("{\"SS\": [\"soil\", \"north-field\"]}"))
                .containsExactly(Map.entry("a", new TypedValue(Type.SS, "[\"soil\",\"north-field\"]")));
        assertThat(one("{\"SS\": [\"say \\\"hi\\\"\"]}"))
                .containsExactly(Map.entry("a", new TypedValue(Type.SS, "[\"say \\\"hi\\\"\"]")));
        assertThat(one("{\"NS\": [\"1\", \"2.5\"]}"))
                .containsExactly(Map.entry("a", new TypedValue(Type.NS, "[\"1\",\"2.5\"]")));
        assertThat(one("{\"NS\": [1, 2.50]}"))
                .containsExactly(Map.entry("a", new TypedValue(Type.NS, "[\"1\",\"2.50\"]")));
        assertThat(one("{\"BS\": [\"AAEC\", \"/w==\"]}"))
                .containsExactly(Map.entry("a", new TypedValue(Type.BS, "[\"AAEC\",\"/w==\"]")));
    }

    @Test
    void mapsAndListsUnnestIntoDottedAndIndexedPaths() throws Exception {
        LinkedHashMap<String, String> map = DynamoDbJson.unnest(
                DynamoDbJson.read(
                        "{\"m\": {\"M\": {\"x\": {\"N\": \"1\"}, \"y\": {\"M\": {\"z\": {\"S\": \"deep\"}}}}},"
                                + " \"l\": {\"L\": [{\"S\": \"first\"}, {\"L\": [{\"N\": \"2\"}, {\"L\": [{\"BOOL\": false}]}]}]}}"));

        assertThat(entries(map))
                .containsExactly(
                        Map.entry("m.x", "1"),
                        Map.entry("m.y.z", "deep"),
                        Map.entry("l[0]", "first"),
                        Map.entry("l[1][0]", "2"),
                        Map.entry("l[1][1][0]", "false"));
    }

    @Test
    void emptyMapsAndListsKeepTheirPathWithAnEmptyJsonText() throws Exception {
        assertThat(one("{\"M\": {}}")).containsExactly(Map.entry("a", new TypedValue(Type.M, "{}")));
        assertThat(one("{\"L\": []}")).containsExactly(Map.entry("a", new TypedValue(Type.L, "[]")));
        assertThat(one("{\"L\": [{\"M\": {}}, {\"L\": []}]}"))
                .containsExactly(
                        Map.entry("a[0]", new TypedValue(Type.M, "{}")),
                        Map.entry("a[1]", new TypedValue(Type.L, "[]")));
    }

    @Test
    void attributeNamesWithPathCharactersAreBackslashEscaped() throws Exception {
        LinkedHashMap<String, String> map = DynamoDbJson.unnest(
                DynamoDbJson.read(
                        "{\"a.b\": {\"S\": \"1\"}, \"a\": {\"M\": {\"b\": {\"S\": \"2\"}}}, \"c[0]\": {\"S\": \"3\"}, \"back\\\\slash\": {\"S\": \"4\"}}"));

        assertThat(entries(map))
                .containsExactly(
                        Map.entry("a\\.b", "1"),
                        Map.entry("a.b", "2"),
                        Map.entry("c\\[0\\]", "3"),
                        Map.entry("back\\\\slash", "4"));
        assertThat(DynamoDbJson.escapeName("plain_name")).isEqualTo("plain_name");
    }

    @Test
    void aValueThatIsNotOneTypedDescriptorIsRejectedWithItsPath() throws Exception {
        assertThat(invalid("{\"a\": \"x\"}"))
                .hasMessage(
                        "a: expected a typed value, an object with exactly one of S, N, B, BOOL, NULL, SS, NS, BS, M, L, got a string \"x\"");
        assertThat(invalid("{\"a\": {}}"))
                .hasMessage(
                        "a: expected a typed value, an object with exactly one of S, N, B, BOOL, NULL, SS, NS, BS, M, L, got an empty object");
        assertThat(invalid("{\"a\": {\"S\": \"x\", \"N\": \"1\"}}"))
                .hasMessage(
                        "a: expected a typed value, an object with exactly one of S, N, B, BOOL, NULL, SS, NS, BS, M, L, got an object with 2 members (S, N)");
        assertThat(invalid("{\"a\": {\"X\": \"x\"}}"))
                .hasMessage("a: unknown type descriptor \"X\", expected one of S, N, B, BOOL, NULL, SS, NS, BS, M, L");
        assertThat(invalid("{\"a\": {\"s\": \"x\"}}"))
                .hasMessage("a: unknown type descriptor \"s\", expected one of S, N, B, BOOL, NULL, SS, NS, BS, M, L");
        assertThat(invalid("[1]"))
                .hasMessage("expected an image, an object of attribute name to typed value, got an array");
    }

    @Test
    void malformedScalarsAreRejectedWithWhatWasExpected() throws Exception {
        assertThat(invalid("{\"a\": {\"S\": 5}}")).hasMessage("a: S must be a string, got a number 5");
        assertThat(invalid("{\"a\": {\"N\": \"abc\"}}")).hasMessage("a: N value \"abc\" is not a number");
        assertThat(invalid("{\"a\": {\"N\": \"\"}}")).hasMessage("a: N value \"\" is not a number");
        assertThat(invalid("{\"a\": {\"N\": \"NaN\"}}")).hasMessage("a: N value \"NaN\" is not a number");
        assertThat(invalid("{\"a\": {\"N\": true}}"))
                .hasMessage("a: N must be a number as a string (e.g. \"30\") or a JSON number, got a boolean true");
        assertThat(invalid("{\"a\": {\"N\": 1e999}}"))
                .hasMessage("a: N value is a number beyond DynamoDB's range (about 1e126)");
        assertThat(invalid("{\"a\": {\"BOOL\": \"true\"}}"))
                .hasMessage("a: BOOL must be true or false, got a string \"true\"");
        assertThat(invalid("{\"a\": {\"NULL\": false}}")).hasMessage("a: NULL must be true, got a boolean false");
        assertThat(invalid("{\"a\": {\"NULL\": null}}")).hasMessage("a: NULL must be true, got null");
        assertThat(invalid("{\"a\": {\"B\": \"not base64!\"}}"))
                .message()
                .startsWith("a: B value \"not base64!\" is not base64: ");
        assertThat(invalid("{\"a\": {\"B\": 1}}")).hasMessage("a: B must be a base64 string, got a number 1");
    }

    @Test
    void malformedSetsMapsAndListsAreRejectedWithWhatWasExpected() throws Exception {
        assertThat(invalid("{\"a\": {\"SS\": \"soil\"}}"))
                .hasMessage("a: SS must be an array of strings, got a string \"soil\"");
        assertThat(invalid("{\"a\": {\"SS\": [\"soil\", 1]}}"))
                .hasMessage("a: SS must be an array of strings, but SS[1] is not, got a number 1");
        assertThat(invalid("{\"a\": {\"NS\": [\"1\", \"two\"]}}")).hasMessage("a: NS[1] value \"two\" is not a number");
        assertThat(invalid("{\"a\": {\"NS\": {}}}"))
                .hasMessage("a: NS must be an array of numbers (as strings), got an empty object");
        assertThat(invalid("{\"a\": {\"BS\": [\"AAEC\", \"%%\"]}}"))
                .message()
                .startsWith("a: BS[1] value \"%%\" is not base64: ");
        assertThat(invalid("{\"a\": {\"M\": []}}"))
                .hasMessage("a: M must be an object of member name to typed value, got an empty array");
        assertThat(invalid("{\"a\": {\"L\": {}}}"))
                .hasMessage("a: L must be an array of typed values, got an empty object");
    }

    @Test
    void aNestedFaultNamesItsFullPath() throws Exception {
        InvalidImageException e = invalid(
                "{\"placement\": {\"M\": {\"history\": {\"L\": [{\"M\": {}}, {\"M\": {\"until\": {\"N\": \"soon\"}}}]}}}}");

        assertThat(e.path()).isEqualTo("placement.history[1].until");
        assertThat(e.problem()).isEqualTo("N value \"soon\" is not a number");
        assertThat(e).hasMessage("placement.history[1].until: N value \"soon\" is not a number");
    }
}
