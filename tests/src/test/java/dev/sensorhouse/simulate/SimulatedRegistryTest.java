package dev.sensorhouse.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sensorhouse.simulate.SimulatedRegistryFiles.CdcLine;
import dev.sensorhouse.simulate.SimulatedRegistryFiles.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device registry the simulator writes next to the events: daily snapshots and DynamoDB-stream
 * CDC files, checked against the contract, against each other (a reference fold of the CDC must give
 * every snapshot) and against the report the {@code dimensions} job's tests reconcile with.
 */
class SimulatedRegistryTest {
    private static final Set<String> RECORD_FIELDS = Set.of(
            "awsRegion",
            "eventID",
            "eventName",
            "userIdentity",
            "recordFormat",
            "tableName",
            "dynamodb",
            "eventSource");
    private static final Set<String> DEVICE_ATTRIBUTES = Set.of(
            "pk",
            "sk",
            "device_id",
            "model",
            "firmware",
            "customer",
            "farm",
            "installed_at",
            "status",
            "placement",
            "tags",
            "notes");
    private static final Set<String> LOCATION_ATTRIBUTES =
            Set.of("pk", "sk", "location_id", "name", "farm", "field", "crop", "region", "lat", "lon");

    @TempDir
    static Path tmp;

    /** Three days of 150 probes from 06:00 (so four snapshot days) with default faults. */
    private static Run agriculture;

    /** Two days of 120 trucks with heavy faults. */
    private static Run vehicle;

    record Run(
            Path lake, InjectionReport report, List<CdcLine> lines, List<Snapshot> devices, List<Snapshot> locations) {
        RegistryReport registry() {
            return report.registry();
        }

        Map<String, List<CdcLine>> items() {
            return SimulatedRegistryFiles.byItem(SimulatedRegistryFiles.records(lines));
        }
    }

    static SimulateConfig threeDays(Path lake) {
        return SimulateConfig.defaults(lake.toString())
                .withDevices(150)
                .withStart(Instant.parse("2026-03-01T06:00:00Z"))
                .withDuration(Duration.ofDays(3))
                .withInterval(Duration.ofMinutes(10));
    }

    @BeforeAll
    static void simulate() {
        agriculture = run(threeDays(tmp.resolve("agriculture")));
        vehicle = run(SimulateConfig.defaults(tmp.resolve("vehicle").toString())
                .withProfile(SimulateConfig.Profile.VEHICLE)
                .withFaults(SimulateConfig.FaultLevel.HEAVY)
                .withDevices(120)
                .withDuration(Duration.ofDays(2))
                .withInterval(Duration.ofMinutes(10)));
    }

    static Run run(SimulateConfig config) {
        InjectionReport report = new Simulator(config).run();
        Path lake = Path.of(config.lake());
        return new Run(
                lake,
                report,
                SimulatedRegistryFiles.cdc(lake),
                SimulatedRegistryFiles.snapshots(lake, "devices"),
                SimulatedRegistryFiles.snapshots(lake, "locations"));
    }

    @Test
    void snapshotsHaveTheContractHeadersOneFilePerDayAndTheReportedRowCounts() {
        for (Run run : List.of(agriculture, vehicle)) {
            LocalDate first = LocalDate.ofInstant(run.report().config().start(), ZoneOffset.UTC);
            Instant end =
                    run.report().config().start().plus(run.report().config().duration());
            LocalDate last = LocalDate.ofInstant(end.minusMillis(1), ZoneOffset.UTC);
            List<LocalDate> days = first.datesUntil(last.plusDays(1)).toList();
            assertThat(run.devices()).extracting(Snapshot::date).containsExactlyElementsOf(days);
            assertThat(run.locations()).extracting(Snapshot::date).containsExactlyElementsOf(days);
            assertThat(run.devices())
                    .allSatisfy(s -> assertThat(s.header()).isEqualTo(SimulatedRegistryFiles.DEVICE_HEADER));
            assertThat(run.locations())
                    .allSatisfy(s -> assertThat(s.header()).isEqualTo(SimulatedRegistryFiles.LOCATION_HEADER));

            List<RegistryReport.SnapshotFile> reported = run.registry().snapshotFiles();
            assertThat(reported).hasSize(2 * days.size());
            for (Snapshot s : run.devices()) {
                RegistryReport.SnapshotFile file = reported.stream()
                        .filter(f -> f.path().equals("raw/registry/devices/" + s.date() + ".csv"))
                        .findFirst()
                        .orElseThrow();
                assertThat(file.entity()).isEqualTo("device");
                assertThat(file.rows()).isEqualTo(s.rows().size());
                assertThat(file.malformedRows()).isEqualTo(s.malformedRows().size());
                assertThat(s.keys()).as("sorted by device_id").isSorted();
            }
            for (Snapshot s : run.locations()) {
                RegistryReport.SnapshotFile file = reported.stream()
                        .filter(f -> f.path().equals("raw/registry/locations/" + s.date() + ".csv"))
                        .findFirst()
                        .orElseThrow();
                assertThat(file.rows()).isEqualTo(s.rows().size());
                assertThat(s.malformedRows()).isEmpty();
                assertThat(s.keys()).as("sorted by location_id").isSorted();
            }
            long malformed = run.devices().stream()
                    .mapToLong(s -> s.malformedRows().size())
                    .sum();
            assertThat(malformed)
                    .isEqualTo(run.registry().malformedSnapshotRowsByReason().get("malformed_row"))
                    .isBetween(3L, 20L);
            assertThat(run.devices())
                    .allSatisfy(s -> assertThat(s.malformedRows())
                            .allSatisfy(row -> assertThat(
                                            SimulatedRegistryFiles.csv(row).size())
                                    .isIn(7, 9)));
        }
    }

    @Test
    void snapshotValuesFollowTheContract() {
        Snapshot devices = agriculture.devices().get(0);
        assertThat(devices.rows().values()).allSatisfy(row -> {
            assertThat(row.get(0)).matches("farm-\\d{3}-probe-\\d{4}");
            assertThat(row.get(1)).startsWith("SoilProbe ");
            assertThat(row.get(3)).isNotBlank();
            assertThat(row.get(5)).matches("loc-" + row.get(4).replace("-", "") + "-field-[1-4]");
            assertThat(Instant.parse(row.get(6)))
                    .isBefore(agriculture.report().config().start());
            assertThat(row.get(7)).isIn("active", "maintenance");
        });
        Map<String, Long> locationsPerFarm = new TreeMap<>();
        for (List<String> row : agriculture.locations().get(0).rows().values()) {
            assertThat(row.get(0)).matches("loc-farm\\d{3}-field-[1-4]");
            assertThat(row.get(4)).isNotBlank();
            assertThat(Double.parseDouble(row.get(6))).isBetween(50.0, 54.0);
            assertThat(Double.parseDouble(row.get(7))).isBetween(3.0, 8.0);
            locationsPerFarm.merge(row.get(2), 1L, Long::sum);
        }
        assertThat(locationsPerFarm.values()).allSatisfy(n -> assertThat(n).isBetween(2L, 4L));
        assertThat(agriculture.locations().get(0).rows().values())
                .anySatisfy(row -> assertThat(row.get(1)).contains(","));
        for (List<String> row : vehicle.locations().get(0).rows().values()) {
            assertThat(row.get(0)).matches("loc-fleet\\d{2}-depot-[1-4]");
            assertThat(row.get(2)).matches("fleet-\\d{2}");
            assertThat(row.get(4)).as("depots have no crop").isNull();
        }
        assertThat(vehicle.devices().get(0).rows().values())
                .allSatisfy(row -> assertThat(row.get(4)).isEqualTo(row.get(0).substring(0, 8)));
    }

    @Test
    void unregisteredDevicesSendEventsButAreNeverInTheRegistry() {
        for (Run run : List.of(agriculture, vehicle)) {
            List<String> unregistered = run.registry().unregisteredDevices();
            assertThat(unregistered)
                    .isNotEmpty()
                    .hasSizeLessThanOrEqualTo(run.report().config().devices() / 20);
            assertThat(run.devices())
                    .allSatisfy(s -> assertThat(s.rows().keySet()).doesNotContainAnyElementsOf(unregistered));
            assertThat(run.lines())
                    .noneMatch(
                            l -> unregistered.stream().anyMatch(id -> l.text().contains("\"DEVICE#" + id + "\"")));
            Set<String> sending = eventDevices(run.lake());
            assertThat(sending).containsAll(unregistered);
        }
    }

    @Test
    void retiredDevicesLeaveTheSnapshotsAndSendNoEventsFromTheirRetirementOn() {
        Run run = run(SimulateConfig.defaults(tmp.resolve("retire").toString())
                .withFaults(SimulateConfig.FaultLevel.NONE)
                .withDevices(200)
                .withDuration(Duration.ofDays(4))
                .withInterval(Duration.ofMinutes(15)));
        Map<String, Long> retiredAt = new TreeMap<>();
        run.items().forEach((pk, records) -> {
            CdcLine last = records.get(records.size() - 1);
            if (last.eventName().equals("REMOVE")) {
                retiredAt.put(pk.substring("DEVICE#".length()), last.time());
            }
        });
        assertThat(retiredAt)
                .isNotEmpty()
                .hasSize(run.registry().changesByKind().get("retire").intValue());
        for (Snapshot s : run.devices()) {
            long at = s.date().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            retiredAt.forEach((device, time) -> assertThat(s.rows().containsKey(device))
                    .as(device + " on " + s.date())
                    .isEqualTo(time > at));
        }
        Map<String, Long> lastEvent = new HashMap<>();
        for (SimulatedFiles.Line line : SimulatedFiles.lines(run.lake())) {
            JsonNode e = tree(line.text());
            lastEvent.merge(e.get("device_id").asText(), ReferenceCleanse.timestampMillis(e.get("ts")), Math::max);
        }
        retiredAt.forEach(
                (device, time) -> assertThat(lastEvent.get(device)).as(device).isLessThan(time));
    }

    @Test
    void eventsReportTheFirmwareTheRegistryHasForTheDeviceAtTheirTime() {
        Run run = run(SimulateConfig.defaults(tmp.resolve("firmware").toString())
                .withFaults(SimulateConfig.FaultLevel.NONE)
                .withDevices(100)
                .withDuration(Duration.ofDays(3))
                .withInterval(Duration.ofMinutes(20)));
        Map<String, List<CdcLine>> items = run.items();
        long updates = 0;
        for (List<CdcLine> records : items.values()) {
            for (CdcLine r : records) {
                JsonNode d = r.json().get("dynamodb");
                if (r.eventName().equals("MODIFY")
                        && r.pk().startsWith("DEVICE#")
                        && !d.get("NewImage")
                                .get("firmware")
                                .equals(d.get("OldImage").get("firmware"))) {
                    updates++;
                }
            }
        }
        assertThat(updates).isPositive();
        Set<String> unregistered = new HashSet<>(run.registry().unregisteredDevices());
        long checked = 0;
        for (SimulatedFiles.Line line : SimulatedFiles.lines(run.lake())) {
            JsonNode e = tree(line.text());
            String device = e.get("device_id").asText();
            if (unregistered.contains(device)) {
                continue;
            }
            long ts = ReferenceCleanse.timestampMillis(e.get("ts"));
            String firmware = null;
            for (CdcLine r : items.get("DEVICE#" + device)) {
                if (r.time() <= ts) {
                    firmware = r.eventName().equals("REMOVE")
                            ? null
                            : r.json()
                                    .get("dynamodb")
                                    .get("NewImage")
                                    .get("firmware")
                                    .get("S")
                                    .asText();
                }
            }
            assertThat(e.get("firmware").asText())
                    .as(device + " at " + Instant.ofEpochMilli(ts))
                    .isEqualTo(firmware);
            checked++;
        }
        assertThat(checked).isGreaterThan(10_000);
    }

    @Test
    void everyCdcLineButTheInjectedMalformedOnesIsARecordOfTheContract() {
        for (Run run : List.of(agriculture, vehicle)) {
            for (CdcLine line : run.lines()) {
                if (line.json() == null || !line.hasSequenceNumber()) {
                    continue;
                }
                JsonNode r = line.json();
                assertThat(fieldNames(r)).containsExactlyInAnyOrderElementsOf(RECORD_FIELDS);
                assertThat(r.get("awsRegion").asText()).isNotBlank();
                assertThat(r.get("eventID").asText())
                        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
                assertThat(r.get("eventName").asText()).isIn("INSERT", "MODIFY", "REMOVE");
                assertThat(r.get("userIdentity").isNull()).isTrue();
                assertThat(r.get("recordFormat").asText()).isEqualTo("application/json");
                assertThat(r.get("tableName").asText()).isEqualTo("device-registry");
                assertThat(r.get("eventSource").asText()).isEqualTo("aws:dynamodb");
                JsonNode d = r.get("dynamodb");
                assertThat(d.get("ApproximateCreationDateTime").isIntegralNumber())
                        .isTrue();
                assertThat(d.get("SequenceNumber").isTextual()).isTrue();
                assertThat(d.get("SequenceNumber").asText()).matches("\\d{21,28}");
                assertThat(d.get("SizeBytes").isIntegralNumber()).isTrue();
                assertThat(d.get("StreamViewType").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
                String pk = d.get("Keys").get("pk").get("S").asText();
                assertThat(pk)
                        .matches(
                                "(DEVICE#(farm-\\d{3}-probe|fleet-\\d{2}-truck)-\\d{4}|LOCATION#loc-(farm\\d{3}-field|fleet\\d{2}-depot)-\\d)");
                assertThat(d.get("Keys").get("sk").get("S").asText()).isEqualTo("PROFILE");
                String name = r.get("eventName").asText();
                assertThat(d.has("NewImage")).isEqualTo(!name.equals("REMOVE"));
                assertThat(d.has("OldImage")).isEqualTo(!name.equals("INSERT"));
                for (String side : List.of("NewImage", "OldImage")) {
                    if (d.has(side)) {
                        checkImage(d.get(side), pk);
                    }
                }
                // Arrival: 0-20 s after the change, apart from the late out-of-order records and the copies.
                assertThat(line.arrivalHour().toEpochMilli())
                        .isGreaterThanOrEqualTo(
                                d.get("ApproximateCreationDateTime").asLong() / 3_600_000 * 3_600_000);
            }
        }
    }

    private static void checkImage(JsonNode image, String pk) {
        assertThat(image.get("pk").get("S").asText()).isEqualTo(pk);
        assertThat(image.get("sk").get("S").asText()).isEqualTo("PROFILE");
        if (pk.startsWith("DEVICE#")) {
            assertThat(DEVICE_ATTRIBUTES).containsAll(fieldNames(image));
            for (String a : List.of("device_id", "model", "firmware", "customer", "farm", "installed_at", "status")) {
                assertThat(image.get(a).get("S").isTextual()).as(a).isTrue();
            }
            assertThat(image.get("device_id").get("S").asText()).isEqualTo(pk.substring(7));
            assertThat(image.has("location_id"))
                    .as("the location only in placement")
                    .isFalse();
            assertThat(image.get("placement")
                            .get("M")
                            .get("location_id")
                            .get("S")
                            .asText())
                    .startsWith("loc-");
            assertThat(image.get("tags").get("SS").isArray()).isTrue();
            if (image.has("notes")) {
                assertThat(image.get("notes").has("NULL") || image.get("notes").has("S"))
                        .isTrue();
            }
        } else {
            assertThat(fieldNames(image)).containsExactlyInAnyOrderElementsOf(LOCATION_ATTRIBUTES);
            assertThat(image.get("lat").get("N").asText()).matches("-?\\d+(\\.\\d+)?");
            assertThat(image.get("lon").get("N").asText()).matches("-?\\d+(\\.\\d+)?");
            JsonNode crop = image.get("crop");
            assertThat(crop.has("S") || crop.get("NULL").asBoolean()).isTrue();
            assertThat(crop.has("NULL")).isEqualTo(pk.contains("-depot-"));
        }
    }

    @Test
    void sequenceNumbersStrictlyIncreaseWithTheChangeTimeAndEveryItemStartsWithAnInsert() {
        for (Run run : List.of(agriculture, vehicle)) {
            List<CdcLine> records = new ArrayList<>(SimulatedRegistryFiles.records(run.lines()));
            records.sort((a, b) -> a.sequence().compareTo(b.sequence()));
            assertThat(records).hasSize((int) run.registry().cdcRecords());
            for (int i = 1; i < records.size(); i++) {
                assertThat(records.get(i).sequence())
                        .isGreaterThan(records.get(i - 1).sequence());
                assertThat(records.get(i).time())
                        .isGreaterThanOrEqualTo(records.get(i - 1).time());
            }
            Set<BigInteger> sequences = new HashSet<>();
            Set<String> eventIds = new HashSet<>();
            records.forEach(r -> {
                assertThat(sequences.add(r.sequence())).isTrue();
                assertThat(eventIds.add(r.json().get("eventID").asText())).isTrue();
            });
            run.items().forEach((pk, history) -> {
                assertThat(history.get(0).eventName()).as(pk).isEqualTo("INSERT");
                for (int i = 1; i < history.size(); i++) {
                    boolean removed = history.get(i - 1).eventName().equals("REMOVE");
                    assertThat(history.get(i).eventName().equals("INSERT"))
                            .as(pk + " record " + i + " is an INSERT exactly after a REMOVE")
                            .isEqualTo(removed);
                }
            });
            Map<String, Long> byName = new LinkedHashMap<>();
            records.forEach(r -> byName.merge(r.eventName(), 1L, Long::sum));
            run.registry()
                    .cdcRecordsByEventName()
                    .forEach((name, n) ->
                            assertThat(byName.getOrDefault(name, 0L)).as(name).isEqualTo(n));
            assertThat(run.registry().cdcRecordsByEventName().keySet()).containsExactly("INSERT", "MODIFY", "REMOVE");
        }
    }

    @Test
    void injectedCdcFaultsAreExactlyTheReportedOnes() {
        for (Run run : List.of(agriculture, vehicle)) {
            RegistryReport report = run.registry();
            List<CdcLine> lines = run.lines();
            assertThat((long) lines.size())
                    .isEqualTo(report.cdcLines())
                    .isEqualTo(report.cdcRecords() + report.duplicates() + report.malformedCdcLines());
            assertThat(SimulatedRegistryFiles.files(run.lake(), "raw/registry_cdc"))
                    .hasSize(report.cdcFiles());

            long notJson = lines.stream().filter(l -> l.json() == null).count();
            long noSequence = lines.stream()
                    .filter(l -> l.json() != null && !l.hasSequenceNumber())
                    .count();
            assertThat(notJson).isEqualTo(report.malformedCdcLinesByReason().get("malformed_json"));
            assertThat(noSequence).isEqualTo(report.malformedCdcLinesByReason().get("missing_field"));

            // Duplicates: the same text again, always in a later arrival hour than the first copy.
            Map<String, CdcLine> first = new HashMap<>();
            long copies = 0;
            for (CdcLine l : lines) {
                CdcLine before = first.putIfAbsent(l.text(), l);
                if (before != null) {
                    copies++;
                    assertThat(l.arrivalHour()).isAfter(before.arrivalHour());
                }
            }
            assertThat(copies).isEqualTo(report.duplicates());

            // Damaged copies come after their intact record, which is also there.
            Map<String, Instant> intact = new HashMap<>();
            for (CdcLine l : lines) {
                if (l.valid()) {
                    intact.putIfAbsent(l.json().get("eventID").asText(), l.arrivalHour());
                } else if (l.json() != null) {
                    assertThat(intact).containsKey(l.json().get("eventID").asText());
                }
            }

            // Out of order: records arriving in an hour after the arrival hour of a newer change of the item.
            long late = 0;
            for (List<CdcLine> history : run.items().values()) {
                for (int i = 0; i < history.size(); i++) {
                    Instant arrived = history.get(i).arrivalHour();
                    if (history.subList(i + 1, history.size()).stream()
                            .anyMatch(newer -> newer.arrivalHour().isBefore(arrived))) {
                        late++;
                    }
                }
            }
            assertThat(late).isEqualTo(report.outOfOrder()).isGreaterThanOrEqualTo(3);
            assertThat(report.duplicates()).isGreaterThanOrEqualTo(3);
            assertThat(report.malformedCdcLinesByReason().values())
                    .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(3));
        }
        assertThat(vehicle.registry().duplicates())
                .as("heavy")
                .isGreaterThan(agriculture.registry().duplicates());
    }

    @Test
    void aReregisteredDeviceIsRemovedAndInsertedAgainWithANewInstalledAt() {
        List<String> again = agriculture.registry().reRegisteredDevices();
        assertThat(again).isNotEmpty();
        Map<String, List<CdcLine>> items = agriculture.items();
        for (String device : again) {
            List<CdcLine> history = items.get("DEVICE#" + device);
            List<String> names = history.stream().map(CdcLine::eventName).toList();
            int removed = names.indexOf("REMOVE");
            assertThat(removed).isPositive();
            assertThat(names.get(removed + 1)).isEqualTo("INSERT");
            CdcLine insert = history.get(removed + 1);
            String installedAt = insert.json()
                    .get("dynamodb")
                    .get("NewImage")
                    .get("installed_at")
                    .get("S")
                    .asText();
            assertThat(Instant.parse(installedAt))
                    .isAfter(agriculture.report().config().start())
                    .isEqualTo(Instant.ofEpochMilli(insert.time()));
            assertThat(insert.time() - history.get(removed).time()).isBetween(2 * 3_600_000L, 13 * 3_600_000L);
        }
    }

    @Test
    void foldingTheCdcGivesEverySnapshotAndTheReportedVersionCounts() {
        for (Run run : List.of(agriculture, vehicle)) {
            Map<String, List<CdcLine>> items = run.items();
            for (int day = 0; day < run.devices().size(); day++) {
                Snapshot devices = run.devices().get(day);
                Snapshot locations = run.locations().get(day);
                long at =
                        devices.date().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                Map<String, List<String>> expected = new TreeMap<>();
                devices.rows().forEach((id, row) -> expected.put("DEVICE#" + id, row));
                locations.rows().forEach((id, row) -> expected.put("LOCATION#" + id, row));
                assertThat(SimulatedRegistryFiles.stateAt(items, at))
                        .as(devices.date().toString())
                        .isEqualTo(expected);
            }

            long[] cdc = SimulatedRegistryFiles.versions(items);
            RegistryReport.Scd2 fromCdc = run.registry().expectedFromCdc();
            assertThat(new long[] {
                        fromCdc.deviceVersions(),
                        fromCdc.locationVersions(),
                        fromCdc.currentDeviceVersions(),
                        fromCdc.currentLocationVersions()
                    })
                    .isEqualTo(cdc);
            long registered = run.report().config().devices()
                    - run.registry().unregisteredDevices().size();
            assertThat(fromCdc.deviceVersions()).isGreaterThan(registered);

            long[] snapshots = snapshotVersions(run.devices(), run.locations());
            RegistryReport.Scd2 fromSnapshots = run.registry().expectedFromSnapshots();
            assertThat(new long[] {
                        fromSnapshots.deviceVersions(),
                        fromSnapshots.locationVersions(),
                        fromSnapshots.currentDeviceVersions(),
                        fromSnapshots.currentLocationVersions()
                    })
                    .isEqualTo(snapshots);
        }
    }

    @Test
    void changesAtOneInstantOfOneItemAreOneVersionAndNoteEditsAreNone() {
        Map<String, List<CdcLine>> items = agriculture.items();
        long sameInstant = 0;
        long untracked = 0;
        for (List<CdcLine> history : items.values()) {
            for (int i = 1; i < history.size(); i++) {
                sameInstant += history.get(i).time() == history.get(i - 1).time() ? 1 : 0;
                JsonNode d = history.get(i).json().get("dynamodb");
                if (history.get(i).eventName().equals("MODIFY")
                        && SimulatedRegistryFiles.columns(d.get("NewImage"))
                                .equals(SimulatedRegistryFiles.columns(d.get("OldImage")))) {
                    untracked++;
                }
            }
        }
        assertThat(sameInstant)
                .as("technician visits: a move and another change at one instant")
                .isPositive();
        assertThat(untracked)
                .as("note edits")
                .isEqualTo(agriculture.registry().changesByKind().get("note"))
                .isPositive();
        long modifies = agriculture.registry().cdcRecordsByEventName().get("MODIFY");
        long inserts = agriculture.registry().cdcRecordsByEventName().get("INSERT");
        RegistryReport.Scd2 v = agriculture.registry().expectedFromCdc();
        assertThat(v.deviceVersions() + v.locationVersions()).isEqualTo(inserts + modifies - untracked - sameInstant);
    }

    @Test
    void aDayOfTwoHundredDevicesHasTensOfChanges() {
        Run run = run(SimulateConfig.defaults(tmp.resolve("day").toString()).withInterval(Duration.ofMinutes(30)));
        long changes = run.registry().changesByKind().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        assertThat(changes).isBetween(15L, 80L);
        assertThat(run.registry().unregisteredDevices()).hasSizeBetween(1, 6);
        assertThat(run.registry().reRegisteredDevices()).isNotEmpty();
        assertThat(run.registry().snapshotFiles())
                .extracting(RegistryReport.SnapshotFile::path)
                .containsExactly("raw/registry/devices/2026-01-01.csv", "raw/registry/locations/2026-01-01.csv");
    }

    @Test
    void theSameSeedWritesByteIdenticalRegistryFilesAndAnotherSeedOthers() {
        Run again = run(threeDays(tmp.resolve("again")));
        Map<String, byte[]> a = registryFiles(agriculture.lake());
        Map<String, byte[]> b = registryFiles(again.lake());
        assertThat(a).hasSizeGreaterThan(100);
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        a.forEach((file, bytes) -> assertThat(b.get(file)).as(file).isEqualTo(bytes));
        assertThat(again.report().registry()).isEqualTo(agriculture.report().registry());

        Run other = run(threeDays(tmp.resolve("other")).withSeed(7));
        Map<String, byte[]> c = registryFiles(other.lake());
        assertThat(c.get("raw/registry/devices/2026-03-01.csv"))
                .isNotEqualTo(a.get("raw/registry/devices/2026-03-01.csv"));
    }

    @Test
    void hadoopFileSystemOutputWritesTheSameRegistryFilesWithoutSideFiles() throws IOException {
        Path viaHadoop = tmp.resolve("hadoop");
        try (LakeOutput out = new HadoopLakeOutput(viaHadoop.toUri().toString())) {
            new Simulator(threeDays(viaHadoop), out).run();
        }
        Map<String, byte[]> local = registryFiles(agriculture.lake());
        Map<String, byte[]> hadoop = registryFiles(viaHadoop);
        assertThat(hadoop.keySet()).containsExactlyElementsOf(local.keySet());
        local.forEach((file, bytes) -> assertThat(hadoop.get(file)).as(file).isEqualTo(bytes));
        try (Stream<Path> all = Files.walk(viaHadoop)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".crc") || name.startsWith("_") || name.startsWith("."));
        }
    }

    @Test
    void withoutTheRegistryNoRegistryFilesAreWrittenAndTheEventsAreTheSame() {
        SimulateConfig config = threeDays(tmp.resolve("plain")).withoutRegistry();
        InjectionReport report = new Simulator(config).run();

        assertThat(report.registry()).isNull();
        assertThat(tmp.resolve("plain/raw/registry")).doesNotExist();
        assertThat(tmp.resolve("plain/raw/registry_cdc")).doesNotExist();
        List<String> files = SimulatedFiles.files(agriculture.lake());
        assertThat(SimulatedFiles.files(tmp.resolve("plain"))).containsExactlyElementsOf(files);
        for (String file : files) {
            assertThat(SimulatedFiles.content(tmp.resolve("plain"), file))
                    .as(file)
                    .isEqualTo(SimulatedFiles.content(agriculture.lake(), file));
        }
        assertThat(InjectionReport.fromJson(report.toJson()).registry()).isNull();
        assertThat(InjectionReport.fromJson(report.toJson()).config().registry())
                .isFalse();
    }

    @Test
    void theReportWithItsRegistrySectionSurvivesAJsonRoundTrip() throws IOException {
        for (Run run : List.of(agriculture, vehicle)) {
            InjectionReport report = run.report();
            InjectionReport read = InjectionReport.fromJson(report.toJson());
            assertThat(read.registry()).isEqualTo(report.registry());
            assertThat(read.config()).isEqualTo(report.config());
            assertThat(read.toJson()).isEqualTo(report.toJson());
            Path file = run.lake().resolve(Simulator.reportPath(report.config()));
            assertThat(InjectionReport.read(file.toString()).registry()).isEqualTo(report.registry());

            JsonNode json = ReferenceCleanse.JSON.readTree(report.toJson()).get("registry");
            assertThat(fieldNames(json))
                    .containsExactly(
                            "snapshot_files",
                            "cdc_files",
                            "cdc_lines",
                            "cdc_records",
                            "cdc_records_by_event_name",
                            "changes_by_kind",
                            "duplicates",
                            "out_of_order",
                            "malformed_cdc_lines_by_reason",
                            "malformed_snapshot_rows_by_reason",
                            "unregistered_devices",
                            "re_registered_devices",
                            "expected_from_cdc",
                            "expected_from_snapshots");
            assertThat(fieldNames(json.get("expected_from_cdc")))
                    .containsExactly(
                            "device_versions",
                            "location_versions",
                            "current_device_versions",
                            "current_location_versions");
            assertThat(report.summary()).contains("registry: ").contains("expected SCD2 from CDC");
        }
    }

    private static long[] snapshotVersions(List<Snapshot> devices, List<Snapshot> locations) {
        long[] out = new long[4];
        for (int kind = 0; kind < 2; kind++) {
            Map<String, List<String>> previous = Map.of();
            for (Snapshot s : kind == 0 ? devices : locations) {
                for (Map.Entry<String, List<String>> row : s.rows().entrySet()) {
                    if (!row.getValue().equals(previous.get(row.getKey()))) {
                        out[kind]++;
                    }
                }
                previous = s.rows();
            }
            out[kind + 2] = previous.size();
        }
        return out;
    }

    private static Set<String> eventDevices(Path lake) {
        Set<String> ids = new HashSet<>();
        for (SimulatedFiles.Line line : SimulatedFiles.lines(lake)) {
            int at = line.text().indexOf("\"device_id\":\"");
            if (at >= 0) {
                ids.add(line.text().substring(at + 13, line.text().indexOf('"', at + 13)));
            }
        }
        return ids;
    }

    private static Map<String, byte[]> registryFiles(Path lake) {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(lake.resolve("raw"))) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                String file = lake.relativize(p).toString().replace('\\', '/');
                if (file.startsWith("raw/registry")) {
                    out.put(file, Files.readAllBytes(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode tree(String line) {
        try {
            return ReferenceCleanse.JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
