package dev.sensorhouse.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Test fixture: reads the registry files of a simulated lake back (snapshots and CDC), and a
 * reference fold of the CDC written here from the contract alone, independently of the simulator:
 * order each item's records by SequenceNumber, apply NewImage, let a REMOVE delete the item.
 */
final class SimulatedRegistryFiles {
    static final String DEVICE_HEADER = "device_id,model,firmware,customer,farm,location_id,installed_at,status";
    static final String LOCATION_HEADER = "location_id,name,farm,field,crop,region,lat,lon";
    private static final Pattern CDC_FILE = Pattern.compile(
            "raw/registry_cdc/year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/hour=(\\d{2})/registry-cdc-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})\\.json");

    private SimulatedRegistryFiles() {}

    /** One CDC line: its text, file, arrival hour, and the parsed record (null when not JSON). */
    record CdcLine(String text, String file, Instant arrivalHour, JsonNode json) {
        boolean hasSequenceNumber() {
            return json != null && json.path("dynamodb").has("SequenceNumber");
        }

        /** A record a reader keeps: valid JSON with a SequenceNumber. */
        boolean valid() {
            return hasSequenceNumber();
        }

        String pk() {
            return json.get("dynamodb").get("Keys").get("pk").get("S").asText();
        }

        BigInteger sequence() {
            return new BigInteger(json.get("dynamodb").get("SequenceNumber").asText());
        }

        long time() {
            return json.get("dynamodb").get("ApproximateCreationDateTime").asLong();
        }

        String eventName() {
            return json.get("eventName").asText();
        }
    }

    /** A snapshot file: its date and its rows as columns (empty values null), malformed rows apart. */
    record Snapshot(
            LocalDate date,
            String header,
            Map<String, List<String>> rows,
            List<String> keys,
            List<String> malformedRows) {}

    /** Relative paths of every file under {@code dir} of the lake, sorted. */
    static List<String> files(Path lake, String dir) {
        Path root = lake.resolve(dir);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile)
                    .map(p -> lake.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path lake, String file) {
        try {
            return Files.readString(lake.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every CDC line in arrival-hour order, then line order. */
    static List<CdcLine> cdc(Path lake) {
        List<CdcLine> lines = new ArrayList<>();
        for (String file : files(lake, "raw/registry_cdc")) {
            Matcher m = CDC_FILE.matcher(file);
            if (!m.matches()) {
                throw new AssertionError("not a CDC file of the contract: " + file);
            }
            for (int g = 1; g <= 4; g++) {
                if (!m.group(g).equals(m.group(g + 4))) {
                    throw new AssertionError("file name hour differs from its partition: " + file);
                }
            }
            Instant hour =
                    Instant.parse(m.group(1) + "-" + m.group(2) + "-" + m.group(3) + "T" + m.group(4) + ":00:00Z");
            String text = read(lake, file);
            if (!text.endsWith("\n")) {
                throw new AssertionError("last line of " + file + " has no newline");
            }
            for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
                JsonNode json;
                try {
                    json = ReferenceCleanse.JSON.readTree(line);
                } catch (IOException e) {
                    json = null;
                }
                lines.add(new CdcLine(line, file, hour, json));
            }
        }
        return lines;
    }

    /** The valid records, each eventID once (the first line that carries it). */
    static List<CdcLine> records(List<CdcLine> lines) {
        Set<String> seen = new HashSet<>();
        List<CdcLine> out = new ArrayList<>();
        for (CdcLine l : lines) {
            if (l.valid() && seen.add(l.json().get("eventID").asText())) {
                out.add(l);
            }
        }
        return out;
    }

    /** Valid records by item (pk), each item's in SequenceNumber order. */
    static Map<String, List<CdcLine>> byItem(List<CdcLine> records) {
        Map<String, List<CdcLine>> items = new TreeMap<>();
        for (CdcLine r : records) {
            items.computeIfAbsent(r.pk(), k -> new ArrayList<>()).add(r);
        }
        items.values().forEach(l -> l.sort(Comparator.comparing(CdcLine::sequence)));
        return items;
    }

    /** The tracked columns of an image, in snapshot column order; a device's location from placement. */
    static List<String> columns(JsonNode image) {
        if (image.has("device_id")) {
            return Arrays.asList(
                    text(image, "device_id"),
                    text(image, "model"),
                    text(image, "firmware"),
                    text(image, "customer"),
                    text(image, "farm"),
                    text(image.get("placement").get("M"), "location_id"),
                    text(image, "installed_at"),
                    text(image, "status"));
        }
        return Arrays.asList(
                text(image, "location_id"),
                text(image, "name"),
                text(image, "farm"),
                text(image, "field"),
                text(image, "crop"),
                text(image, "region"),
                number(image, "lat"),
                number(image, "lon"));
    }

    private static String text(JsonNode image, String attribute) {
        JsonNode v = image.get(attribute);
        if (v == null || v.has("NULL")) {
            return null;
        }
        return v.get("S").asText();
    }

    private static String number(JsonNode image, String attribute) {
        return image.get(attribute).get("N").asText();
    }

    /** The reference fold: every item's tracked columns after all its records up to {@code at}, by pk. */
    static Map<String, List<String>> stateAt(Map<String, List<CdcLine>> items, long at) {
        Map<String, List<String>> state = new TreeMap<>();
        items.forEach((pk, records) -> {
            List<String> current = null;
            for (CdcLine r : records) {
                if (r.time() > at) {
                    break;
                }
                JsonNode image = r.json().get("dynamodb").get("NewImage");
                current = r.eventName().equals("REMOVE") ? null : columns(image);
            }
            if (current != null) {
                state.put(pk, current);
            }
        });
        return state;
    }

    /**
     * SCD2 versions of applying the records: per item, records with the same
     * ApproximateCreationDateTime are one step; a step opens a version when the item is new or its
     * columns changed, and closes it when the item ends removed. Returns {device versions, location
     * versions, open devices, open locations}.
     */
    static long[] versions(Map<String, List<CdcLine>> items) {
        long[] out = new long[4];
        items.forEach((pk, records) -> {
            int kind = pk.startsWith("DEVICE#") ? 0 : 1;
            List<String> open = null;
            for (int i = 0; i < records.size(); ) {
                long time = records.get(i).time();
                List<String> after = open;
                for (; i < records.size() && records.get(i).time() == time; i++) {
                    CdcLine r = records.get(i);
                    after = r.eventName().equals("REMOVE")
                            ? null
                            : columns(r.json().get("dynamodb").get("NewImage"));
                }
                if (after != null && !after.equals(open)) {
                    out[kind]++;
                }
                open = after;
            }
            out[kind + 2] += open != null ? 1 : 0;
        });
        return out;
    }

    /** The snapshot files of {@code entity} ({@code devices} or {@code locations}), in date order. */
    static List<Snapshot> snapshots(Path lake, String entity) {
        List<Snapshot> out = new ArrayList<>();
        for (String file : files(lake, "raw/registry/" + entity)) {
            String name = file.substring(file.lastIndexOf('/') + 1);
            if (!name.matches("\\d{4}-\\d{2}-\\d{2}\\.csv")) {
                throw new AssertionError("not a snapshot file of the contract: " + file);
            }
            String text = read(lake, file);
            if (!text.endsWith("\n") || text.contains("\r")) {
                throw new AssertionError(file + " must end every line with \\n only");
            }
            String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
            Map<String, List<String>> rows = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>();
            List<String> malformed = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                List<String> fields = csv(lines[i]);
                if (fields.size() != 8) {
                    malformed.add(lines[i]);
                    continue;
                }
                keys.add(fields.get(0));
                if (rows.put(fields.get(0), fields) != null) {
                    throw new AssertionError("two rows for " + fields.get(0) + " in " + file);
                }
            }
            out.add(new Snapshot(LocalDate.parse(name.substring(0, 10)), lines[0], rows, keys, malformed));
        }
        return out;
    }

    /** Fields of one RFC 4180 line (no newlines inside values); an empty field is null. */
    static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.length() == 0 && !wasQuoted ? null : field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else {
                field.append(c);
            }
        }
        fields.add(field.length() == 0 && !wasQuoted ? null : field.toString());
        return fields;
    }
}
