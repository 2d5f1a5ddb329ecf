package dev.sensorhouse.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Named builders of device-registry inputs: DynamoDB-stream CDC records, e.g.
 * {@code Registry.modify("DEVICE#d1", 7, "2026-01-01T10:00:00Z").s("firmware", "2.0").json()}, and
 * snapshot CSV files.
 */
public final class Registry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectNode record = JSON.createObjectNode();
    private final ObjectNode image;

    private Registry(String eventName, String pk, long sequence, String at) {
        record.put("awsRegion", "us-east-1");
        record.put("eventID", "ev-" + sequence);
        record.put("eventName", eventName);
        record.put("eventSource", "aws:dynamodb");
        ObjectNode ddb = record.putObject("dynamodb");
        ddb.put("ApproximateCreationDateTime", Instant.parse(at).toEpochMilli());
        ObjectNode keys = ddb.putObject("Keys");
        keys.putObject("pk").put("S", pk);
        keys.putObject("sk").put("S", "PROFILE");
        ddb.put("SequenceNumber", Long.toString(sequence));
        ddb.put("StreamViewType", "NEW_AND_OLD_IMAGES");
        if (eventName.equals("REMOVE")) {
            image = ddb.putObject("OldImage");
        } else {
            image = ddb.putObject("NewImage");
        }
        image.putObject("pk").put("S", pk);
    }

    public static Registry insert(String pk, long sequence, String at) {
        return new Registry("INSERT", pk, sequence, at);
    }

    public static Registry modify(String pk, long sequence, String at) {
        return new Registry("MODIFY", pk, sequence, at);
    }

    public static Registry remove(String pk, long sequence, String at) {
        return new Registry("REMOVE", pk, sequence, at);
    }

    /** A string attribute. */
    public Registry s(String name, String value) {
        image.putObject(name).put("S", value);
        return this;
    }

    /** A number attribute. */
    public Registry n(String name, String value) {
        image.putObject(name).put("N", value);
        return this;
    }

    /** An explicit NULL. */
    public Registry nul(String name) {
        image.putObject(name).put("NULL", true);
        return this;
    }

    /** {@code placement: {M: {location_id: {S: ...}}}}, where CDC images keep a device's location. */
    public Registry placement(String locationId) {
        image.putObject("placement").putObject("M").putObject("location_id").put("S", locationId);
        return this;
    }

    public String json() {
        return record.toString();
    }

    /** Writes lines to {@code dir/name}. */
    public static Path write(Path dir, String name, List<String> lines) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    /** A device snapshot CSV of rows {device_id, model, firmware, customer, farm, location_id, installed_at, status}. */
    public static Path devices(Path metadata, String date, List<String> rows) throws IOException {
        return write(
                metadata.resolve("devices"),
                date + ".csv",
                java.util.stream.Stream.concat(
                                java.util.stream.Stream.of(
                                        "device_id,model,firmware,customer,farm,location_id,installed_at,status"),
                                rows.stream())
                        .toList());
    }

    /** A location snapshot CSV of rows {location_id, name, farm, field, crop, region, lat, lon}. */
    public static Path locations(Path metadata, String date, List<String> rows) throws IOException {
        return write(
                metadata.resolve("locations"),
                date + ".csv",
                java.util.stream.Stream.concat(
                                java.util.stream.Stream.of("location_id,name,farm,field,crop,region,lat,lon"),
                                rows.stream())
                        .toList());
    }

    /** A plain attribute map, for pure tests. */
    public static Map<String, String> attrs(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
