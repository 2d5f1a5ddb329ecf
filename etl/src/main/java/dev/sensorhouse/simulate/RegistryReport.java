package dev.sensorhouse.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code registry} section of the {@link InjectionReport}: what the simulator wrote of the device
 * registry ({@link RegistryFiles}) and what the {@code dimensions} job must make of it, exactly.
 *
 * <p>CDC lines: {@code cdcLines = cdcRecords + duplicates + malformed_json + missing_field}. Every
 * record of {@code cdcRecords} is written intact exactly once ({@code outOfOrder} of them late); the
 * others are extra copies. The expected outcomes count SCD2 versions of {@code dims/device} and
 * {@code dims/location}:
 *
 * <ul>
 *   <li>{@code expectedFromCdc}: the CDC records alone, applied per item in SequenceNumber order
 *       (duplicates and malformed lines dropped). A version starts at each INSERT and at each change
 *       that alters a tracked attribute (device: model, firmware, customer, farm, location_id,
 *       installed_at, status; location: name, farm, field, crop, region, lat, lon); a REMOVE closes
 *       it; an item's changes with the same ApproximateCreationDateTime are one step (at most one
 *       version). Current = versions still open at the end.
 *   <li>{@code expectedFromSnapshots}: the daily snapshots alone (malformed rows dropped), in date
 *       order. An item opens a version where it appears or its tracked attributes differ from the
 *       previous snapshot's, and closes it where it is absent. Current = the items of the last
 *       snapshot.
 * </ul>
 *
 * @param snapshotFiles every snapshot file written, devices and locations, in date order
 * @param cdcFiles CDC files written (one per arrival hour with records)
 * @param cdcLines lines in all CDC files
 * @param cdcRecords distinct change records, each written intact once
 * @param cdcRecordsByEventName distinct records by {@code eventName}: INSERT, MODIFY, REMOVE
 * @param changesByKind change records inside the simulated window by what changed ({@code move},
 *     {@code firmware}, {@code status}, {@code note} (no tracked attribute), {@code retire}, {@code
 *     re_register} (its REMOVE and its INSERT), {@code crop}, {@code name}); the INSERTs before the
 *     window are not counted
 * @param duplicates extra identical copies of records, each in a later arrival hour
 * @param outOfOrder records delivered in an arrival hour after a newer change of the same item
 * @param malformedCdcLinesByReason damaged extra copies by reason: {@code malformed_json}, {@code
 *     missing_field}
 * @param malformedSnapshotRowsByReason damaged extra device rows by reason: {@code malformed_row}
 * @param unregisteredDevices devices that send events but are never in the registry, sorted
 * @param reRegisteredDevices devices removed and inserted again during the window, sorted
 * @param expectedFromCdc the SCD2 outcome of the CDC records alone
 * @param expectedFromSnapshots the SCD2 outcome of the snapshots alone
 */
public record RegistryReport(
        List<SnapshotFile> snapshotFiles,
        int cdcFiles,
        long cdcLines,
        long cdcRecords,
        Map<String, Long> cdcRecordsByEventName,
        Map<String, Long> changesByKind,
        long duplicates,
        long outOfOrder,
        Map<String, Long> malformedCdcLinesByReason,
        Map<String, Long> malformedSnapshotRowsByReason,
        List<String> unregisteredDevices,
        List<String> reRegisteredDevices,
        Scd2 expectedFromCdc,
        Scd2 expectedFromSnapshots) {

    /**
     * One snapshot file.
     *
     * @param path relative to the lake root, e.g. {@code raw/registry/devices/2026-01-01.csv}
     * @param entity {@code device} or {@code location}
     * @param rows intact data rows: the items at the snapshot's instant (header not counted)
     * @param malformedRows damaged extra rows in the file
     */
    public record SnapshotFile(String path, String entity, LocalDate date, long rows, long malformedRows) {}

    /** An SCD2 outcome: versions opened, and versions open at the end, per dimension. */
    public record Scd2(
            long deviceVersions, long locationVersions, long currentDeviceVersions, long currentLocationVersions) {}

    public RegistryReport {
        snapshotFiles = List.copyOf(snapshotFiles);
        cdcRecordsByEventName = Collections.unmodifiableMap(new LinkedHashMap<>(cdcRecordsByEventName));
        changesByKind = Collections.unmodifiableMap(new LinkedHashMap<>(changesByKind));
        malformedCdcLinesByReason = Collections.unmodifiableMap(new LinkedHashMap<>(malformedCdcLinesByReason));
        malformedSnapshotRowsByReason = Collections.unmodifiableMap(new LinkedHashMap<>(malformedSnapshotRowsByReason));
        unregisteredDevices = List.copyOf(unregisteredDevices);
        reRegisteredDevices = List.copyOf(reRegisteredDevices);
    }

    /** Intact rows in all snapshot files of {@code entity} ({@code device} or {@code location}). */
    public long snapshotRows(String entity) {
        return snapshotFiles.stream()
                .filter(f -> f.entity().equals(entity))
                .mapToLong(SnapshotFile::rows)
                .sum();
    }

    /** Damaged CDC lines of all reasons. */
    public long malformedCdcLines() {
        return malformedCdcLinesByReason.values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Damaged snapshot rows of all reasons. */
    public long malformedSnapshotRows() {
        return malformedSnapshotRowsByReason.values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    void writeTo(ObjectNode r) {
        ArrayNode files = r.putArray("snapshot_files");
        for (SnapshotFile f : snapshotFiles) {
            ObjectNode n = files.addObject();
            n.put("path", f.path());
            n.put("entity", f.entity());
            n.put("date", f.date().toString());
            n.put("rows", f.rows());
            n.put("malformed_rows", f.malformedRows());
        }
        r.put("cdc_files", cdcFiles);
        r.put("cdc_lines", cdcLines);
        r.put("cdc_records", cdcRecords);
        putCounts(r.putObject("cdc_records_by_event_name"), cdcRecordsByEventName);
        putCounts(r.putObject("changes_by_kind"), changesByKind);
        r.put("duplicates", duplicates);
        r.put("out_of_order", outOfOrder);
        putCounts(r.putObject("malformed_cdc_lines_by_reason"), malformedCdcLinesByReason);
        putCounts(r.putObject("malformed_snapshot_rows_by_reason"), malformedSnapshotRowsByReason);
        unregisteredDevices.forEach(r.putArray("unregistered_devices")::add);
        reRegisteredDevices.forEach(r.putArray("re_registered_devices")::add);
        putScd2(r.putObject("expected_from_cdc"), expectedFromCdc);
        putScd2(r.putObject("expected_from_snapshots"), expectedFromSnapshots);
    }

    static RegistryReport readFrom(JsonNode r) {
        List<SnapshotFile> files = new ArrayList<>();
        for (JsonNode n : r.get("snapshot_files")) {
            files.add(new SnapshotFile(
                    n.get("path").asText(),
                    n.get("entity").asText(),
                    LocalDate.parse(n.get("date").asText()),
                    n.get("rows").asLong(),
                    n.get("malformed_rows").asLong()));
        }
        return new RegistryReport(
                files,
                r.get("cdc_files").asInt(),
                r.get("cdc_lines").asLong(),
                r.get("cdc_records").asLong(),
                counts(r.get("cdc_records_by_event_name")),
                counts(r.get("changes_by_kind")),
                r.get("duplicates").asLong(),
                r.get("out_of_order").asLong(),
                counts(r.get("malformed_cdc_lines_by_reason")),
                counts(r.get("malformed_snapshot_rows_by_reason")),
                strings(r.get("unregistered_devices")),
                strings(r.get("re_registered_devices")),
                scd2(r.get("expected_from_cdc")),
                scd2(r.get("expected_from_snapshots")));
    }

    private static void putCounts(ObjectNode n, Map<String, Long> counts) {
        counts.forEach(n::put);
    }

    private static Map<String, Long> counts(JsonNode n) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asLong());
        }
        return out;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static void putScd2(ObjectNode n, Scd2 v) {
        n.put("device_versions", v.deviceVersions());
        n.put("location_versions", v.locationVersions());
        n.put("current_device_versions", v.currentDeviceVersions());
        n.put("current_location_versions", v.currentLocationVersions());
    }

    private static Scd2 scd2(JsonNode n) {
        return new Scd2(
                n.get("device_versions").asLong(),
                n.get("location_versions").asLong(),
                n.get("current_device_versions").asLong(),
                n.get("current_location_versions").asLong());
    }
}
