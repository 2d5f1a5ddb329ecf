package dev.sensorhouse.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Writes the {@link Registry} into the raw zone in the two forms the {@code dimensions} job reads,
 * with the {@link RegistryFault}s injected, and returns the {@link RegistryReport}. Both forms are a
 * contract:
 *
 * <ol>
 *   <li>Daily snapshots {@code raw/registry/devices/YYYY-MM-DD.csv} and {@code
 *       raw/registry/locations/YYYY-MM-DD.csv}, one per UTC day from the start's date through the
 *       date of the window's last millisecond, each the registry at that day's {@code 00:00:00Z}.
 *       UTF-8, {@code \n} line ends, the header ({@link #DEVICE_HEADER}, {@link #LOCATION_HEADER})
 *       first, rows sorted by natural key, RFC 4180 quotes only around values with a comma, quote or
 *       newline, an empty value is null.
 *   <li>CDC: {@code raw/registry_cdc/year=YYYY/month=MM/day=DD/hour=HH/registry-cdc-YYYY-MM-DD-HH.json},
 *       one DynamoDB Streams record (as Kinesis delivers it) per line, filed by arrival hour: arrival
 *       is the change time plus 0-20 s. The whole history is there, INSERTs before the window
 *       included. Device images carry the location only as {@code placement.M.location_id}.
 *       Lines of a file are in arrival order; an item's records arrive in SequenceNumber order
 *       (as Kinesis keeps a partition key's order), except the injected out-of-order ones.
 * </ol>
 *
 * <p>Every file is written atomically through {@link LakeOutput}. The same registry writes the same
 * bytes.
 */
final class RegistryFiles {
    static final String DEVICES_DIR = "raw/registry/devices";
    static final String LOCATIONS_DIR = "raw/registry/locations";
    static final String CDC_DIR = "raw/registry_cdc";
    static final String DEVICE_HEADER = String.join(",", RegistryItem.Device.COLUMNS);
    static final String LOCATION_HEADER = String.join(",", RegistryItem.Location.COLUMNS);
    static final String AWS_REGION = "eu-west-1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR_MS = 3_600_000L;
    private static final long MAX_DELIVERY_DELAY_MS = 20_000;

    private RegistryFiles() {}

    /** {@code raw/registry/devices/2026-01-01.csv} or {@code raw/registry/locations/2026-01-01.csv}. */
    static String snapshotPath(String entity, LocalDate date) {
        return (entity.equals("device") ? DEVICES_DIR : LOCATIONS_DIR) + "/" + date + ".csv";
    }

    /** The CDC file of arrival hour {@code hourStart}. */
    static String cdcPath(long hourStart) {
        LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(hourStart), ZoneOffset.UTC);
        return String.format(
                Locale.ROOT,
                "%s/year=%04d/month=%02d/day=%02d/hour=%02d/registry-cdc-%04d-%02d-%02d-%02d.json",
                CDC_DIR,
                t.getYear(),
                t.getMonthValue(),
                t.getDayOfMonth(),
                t.getHour(),
                t.getYear(),
                t.getMonthValue(),
                t.getDayOfMonth(),
                t.getHour());
    }

    /** One line of a CDC file and when it arrives; ties go by record order, then copy. */
    private record Delivery(long arrival, int record, int copy, byte[] line) {}

    /**
     * Writes the snapshots and the CDC files of {@code registry} to {@code lake}.
     *
     * <ol>
     *   <li>compute the daily snapshots and pick the device rows that get a damaged copy;
     *   <li>write one devices and one locations file per day;
     *   <li>render every change as a CDC record, deliver it 0-20 s after its change (the first record of
     *       each out-of-order flap 1-6 h later, in an hour after its item's next change), and add the
     *       duplicate and damaged copies;
     *   <li>write one file per arrival hour, lines in arrival order;
     *   <li>return the counts and the expected SCD2 outcomes.
     * </ol>
     */
    static RegistryReport write(Registry registry, LakeOutput lake) throws IOException {
        SimulateConfig config = registry.config();
        SimulateConfig.FaultLevel level = config.faults();

        // 1. Snapshots and their damaged rows.
        List<Registry.Snapshot> snapshots = registry.snapshots();
        long deviceRows = snapshots.stream().mapToLong(s -> s.devices().size()).sum();
        SplittableRandom rowFaults = new SplittableRandom(Seeds.of(config.seed(), -5, Seeds.REGISTRY_FAULTS));
        long[] damaged = pick(rowFaults, deviceRows, RegistryFault.MALFORMED_ROW.count(level, deviceRows));
        Map<Long, Integer> damagedRows = new HashMap<>(); // device row number over all snapshots -> variant
        for (long row : damaged) {
            damagedRows.put(row, rowFaults.nextInt(2));
        }

        // 2. Snapshot files.
        List<RegistryReport.SnapshotFile> files = new ArrayList<>();
        long rowBase = 0;
        for (Registry.Snapshot s : snapshots) {
            StringBuilder devices = new StringBuilder(64 + 120 * s.devices().size())
                    .append(DEVICE_HEADER)
                    .append('\n');
            long malformed = 0;
            for (int i = 0; i < s.devices().size(); i++) {
                List<String> columns = s.devices().get(i).columns();
                csvRow(devices, columns);
                Integer variant = damagedRows.get(rowBase + i);
                if (variant != null) {
                    devices.append(damagedRow(columns, variant)).append('\n');
                    malformed++;
                }
            }
            rowBase += s.devices().size();
            StringBuilder locations = new StringBuilder(64 + 100 * s.locations().size())
                    .append(LOCATION_HEADER)
                    .append('\n');
            s.locations().forEach(l -> csvRow(locations, l.columns()));
            String devicePath = snapshotPath("device", s.date());
            String locationPath = snapshotPath("location", s.date());
            write(lake, devicePath, devices);
            write(lake, locationPath, locations);
            files.add(new RegistryReport.SnapshotFile(
                    devicePath, "device", s.date(), s.devices().size(), malformed));
            files.add(new RegistryReport.SnapshotFile(
                    locationPath, "location", s.date(), s.locations().size(), 0));
        }

        // 3. CDC records, delivered.
        List<Registry.Change> changes = registry.changes();
        Map<Registry.Change, Integer> number = new HashMap<>();
        Map<Integer, Long> lastArrivalOfItem = new HashMap<>();
        long[] arrival = new long[changes.size()];
        for (int i = 0; i < changes.size(); i++) {
            Registry.Change c = changes.get(i);
            number.put(c, i);
            // Kinesis keeps one partition key's records in order: never before the item's previous record.
            long delayed = c.time + Math.floorMod(Seeds.mix(c.hash), MAX_DELIVERY_DELAY_MS + 1);
            arrival[i] = Math.max(delayed, lastArrivalOfItem.getOrDefault(c.item, Long.MIN_VALUE));
            lastArrivalOfItem.put(c.item, arrival[i]);
        }
        List<Delivery> deliveries = new ArrayList<>();
        List<Integer> onTime = new ArrayList<>();
        long outOfOrder = 0;
        for (int i = 0; i < changes.size(); i++) {
            Registry.Change c = changes.get(i);
            Registry.Change next = c.deliverLate ? registry.nextOfItem(c) : null;
            if (next != null) {
                SplittableRandom r = new SplittableRandom(c.hash);
                long nextHour = Shard.floorHour(arrival[number.get(next)]);
                arrival[i] =
                        Math.max(c.time + HOUR_MS + r.nextLong(5 * HOUR_MS), nextHour + HOUR_MS + r.nextLong(HOUR_MS));
                outOfOrder++;
            } else {
                onTime.add(i);
            }
        }
        List<ObjectNode> records = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            ObjectNode record = record(changes.get(i));
            records.add(record);
            deliveries.add(new Delivery(arrival[i], i, 0, bytes(record)));
        }
        SplittableRandom faults = new SplittableRandom(Seeds.of(config.seed(), -4, Seeds.REGISTRY_FAULTS));
        long base = changes.size();
        long duplicates = RegistryFault.DUPLICATE.count(level, base);
        long truncated = RegistryFault.MALFORMED_JSON.count(level, base);
        long missing = RegistryFault.MISSING_FIELD.count(level, base);
        long[] chosen = pick(faults, onTime.size(), duplicates + truncated + missing);
        for (int k = chosen.length - 1; k > 0; k--) { // which copy kind each gets: random, not by position
            int j = faults.nextInt(k + 1);
            long t = chosen[k];
            chosen[k] = chosen[j];
            chosen[j] = t;
        }
        duplicates = Math.min(duplicates, chosen.length);
        truncated = Math.min(truncated, chosen.length - duplicates);
        missing = chosen.length - duplicates - truncated;
        for (int k = 0; k < chosen.length; k++) {
            int i = onTime.get((int) chosen[k]);
            byte[] line = deliveries.get(i).line();
            if (k < duplicates) { // an identical copy 1-6 arrival hours later
                deliveries.add(
                        new Delivery(Shard.floorHour(arrival[i]) + HOUR_MS + faults.nextLong(5 * HOUR_MS), i, 1, line));
            } else if (k < duplicates + truncated) { // cut short: an object without its end is never JSON
                int cut = 20 + faults.nextInt(line.length - 30);
                deliveries.add(new Delivery(
                        arrival[i] + 1 + faults.nextLong(MAX_DELIVERY_DELAY_MS),
                        i,
                        1,
                        java.util.Arrays.copyOf(line, cut)));
            } else {
                ObjectNode copy = records.get(i).deepCopy();
                ((ObjectNode) copy.get("dynamodb")).remove("SequenceNumber");
                deliveries.add(
                        new Delivery(arrival[i] + 1 + faults.nextLong(MAX_DELIVERY_DELAY_MS), i, 1, bytes(copy)));
            }
        }

        // 4. One file per arrival hour.
        deliveries.sort(Comparator.comparingLong(Delivery::arrival)
                .thenComparingInt(Delivery::record)
                .thenComparingInt(Delivery::copy));
        TreeMap<Long, List<Delivery>> hours = new TreeMap<>();
        for (Delivery d : deliveries) {
            hours.computeIfAbsent(Shard.floorHour(d.arrival()), h -> new ArrayList<>())
                    .add(d);
        }
        for (Map.Entry<Long, List<Delivery>> hour : hours.entrySet()) {
            lake.write(cdcPath(hour.getKey()), out -> {
                for (Delivery d : hour.getValue()) {
                    out.write(d.line());
                    out.write('\n');
                }
            });
        }

        // 5. The report.
        Map<String, Long> byEventName = new LinkedHashMap<>();
        for (Registry.EventName name : Registry.EventName.values()) {
            byEventName.put(
                    name.name(),
                    changes.stream().filter(c -> c.eventName == name).count());
        }
        Map<String, Long> malformedLines = new LinkedHashMap<>();
        malformedLines.put(RegistryFault.MALFORMED_JSON.code(), truncated);
        malformedLines.put(RegistryFault.MISSING_FIELD.code(), missing);
        return new RegistryReport(
                files,
                hours.size(),
                deliveries.size(),
                changes.size(),
                byEventName,
                registry.changesInWindow(),
                duplicates,
                outOfOrder,
                malformedLines,
                Map.of(RegistryFault.MALFORMED_ROW.code(), (long) damaged.length),
                registry.unregistered(),
                registry.reRegistered(),
                registry.cdcVersions(),
                Registry.snapshotVersions(snapshots));
    }

    private static void write(LakeOutput lake, String path, StringBuilder content) throws IOException {
        byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
        lake.write(path, out -> out.write(bytes));
    }

    /** {@code count} distinct numbers below {@code n} (all of them when {@code n} is smaller), ascending. */
    private static long[] pick(SplittableRandom r, long n, long count) {
        java.util.TreeSet<Long> chosen = new java.util.TreeSet<>();
        if (count >= n) {
            for (long i = 0; i < n; i++) {
                chosen.add(i);
            }
        }
        while (chosen.size() < Math.min(n, count)) {
            chosen.add(r.nextLong(n));
        }
        return chosen.stream().mapToLong(Long::longValue).toArray();
    }

    /** Appends one CSV row: null as an empty value, RFC 4180 quotes only where needed. */
    static void csvRow(StringBuilder b, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String v = values.get(i);
            if (v == null) {
                continue;
            }
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                b.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                b.append(v);
            }
        }
        b.append('\n');
    }

    /**
     * A damaged copy of a device row: variant 0 puts an unquoted comma into the model ({@code
     * SoilProbe,X2}: 9 fields), variant 1 drops the last field (7 fields). Device values never need
     * quotes, so the count of fields is exact.
     */
    private static String damagedRow(List<String> columns, int variant) {
        List<String> copy = new ArrayList<>(columns);
        if (variant == 0) {
            copy.set(1, copy.get(1).replaceFirst(" ", ",").replace(" ", ""));
            if (!copy.get(1).contains(",")) {
                copy.set(1, copy.get(1) + ",");
            }
        } else {
            copy.remove(copy.size() - 1);
        }
        return String.join(",", copy);
    }

    /** The DynamoDB Streams record of {@code c}, keys in the order AWS writes them. */
    static ObjectNode record(Registry.Change c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("awsRegion", AWS_REGION);
        root.put("eventID", c.eventId);
        root.put("eventName", c.eventName.name());
        root.putNull("userIdentity");
        root.put("recordFormat", "application/json");
        root.put("tableName", Registry.TABLE);
        ObjectNode d = root.putObject("dynamodb");
        d.put("ApproximateCreationDateTime", c.time);
        ObjectNode keys = d.putObject("Keys");
        keys.set("pk", s(c.image().pk()));
        keys.set("sk", s(Registry.SORT_KEY));
        ObjectNode newImage = c.after == null ? null : image(c.after);
        ObjectNode oldImage = c.before == null ? null : image(c.before);
        if (newImage != null) {
            d.set("NewImage", newImage);
        }
        if (oldImage != null) {
            d.set("OldImage", oldImage);
        }
        d.put("SequenceNumber", c.sequenceNumber);
        d.put("SizeBytes", size(keys) + size(newImage) + size(oldImage));
        d.put("StreamViewType", "NEW_AND_OLD_IMAGES");
        root.put("eventSource", "aws:dynamodb");
        return root;
    }

    /** An item in DynamoDB's typed JSON ({@code {"S": ...}}, {@code {"N": "..."}}, ...). */
    static ObjectNode image(RegistryItem item) {
        ObjectNode n = JSON.createObjectNode();
        n.set("pk", s(item.pk()));
        n.set("sk", s(Registry.SORT_KEY));
        if (item instanceof RegistryItem.Device d) {
            n.set("device_id", s(d.deviceId()));
            n.set("model", s(d.model()));
            n.set("firmware", s(d.firmware()));
            n.set("customer", s(d.customer()));
            n.set("farm", s(d.farm()));
            n.set("installed_at", s(d.installedAt().toString()));
            n.set("status", s(d.status()));
            ObjectNode placement = n.putObject("placement").putObject("M");
            placement.set("location_id", s(d.locationId()));
            if (d.depthCm() > 0) {
                placement.putObject("depth_cm").put("N", Integer.toString(d.depthCm()));
            }
            if (d.bay() > 0) {
                placement.putObject("bay").put("N", Integer.toString(d.bay()));
            }
            d.tags().forEach(n.putObject("tags").putArray("SS")::add);
            if (d.notesAttribute()) {
                n.set("notes", d.notes() == null ? nul() : s(d.notes()));
            }
        } else if (item instanceof RegistryItem.Location l) {
            n.set("location_id", s(l.locationId()));
            n.set("name", s(l.name()));
            n.set("farm", s(l.farm()));
            n.set("field", s(l.field()));
            n.set("crop", l.crop() == null ? nul() : s(l.crop()));
            n.set("region", s(l.region()));
            n.putObject("lat").put("N", l.lat());
            n.putObject("lon").put("N", l.lon());
        }
        return n;
    }

    private static ObjectNode s(String value) {
        return JSON.createObjectNode().put("S", value);
    }

    private static ObjectNode nul() {
        return JSON.createObjectNode().put("NULL", true);
    }

    private static int size(ObjectNode node) {
        return node == null ? 0 : bytes(node).length;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
