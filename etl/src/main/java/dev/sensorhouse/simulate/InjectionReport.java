package dev.sensorhouse.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one simulator run wrote and what the cleanse job must make of it: the ground truth an
 * end-to-end test compares the cleanse job's run record and quarantine table against.
 *
 * <p>{@code expected} follows from the injected faults: every line ends as a cleansed event, a
 * quarantined line or a counted duplicate ({@code lines_in = events_cleansed + lines_quarantined +
 * duplicates}); reading-level faults add one quarantine row each to an event that is still cleansed.
 * The counts hold for a cleanse run over all arrival hours written ({@code arrival_from} to {@code
 * arrival_to}, which extends past the simulated window by late and delayed deliveries).
 *
 * @param config the run's configuration
 * @param linesWritten lines in all raw files, duplicate copies included
 * @param eventsGenerated distinct generated events, duplicate copies excluded
 * @param faults injected faults by kind, every kind present (zeros included); {@code duplicate}
 *     counts extra copies
 * @param filesWritten raw files written
 * @param bytesWritten bytes of raw files as stored (after gzip when enabled)
 * @param seconds wall-clock time of the run
 * @param arrivalFrom start of the first arrival hour written
 * @param arrivalTo end (exclusive) of the last arrival hour written
 * @param expected the outcome of cleansing all written lines
 * @param registry what was written of the device registry and the outcome the {@code dimensions}
 *     job must reach; null when the run wrote no registry ({@code --registry false})
 */
public record InjectionReport(
        SimulateConfig config,
        long linesWritten,
        long eventsGenerated,
        Map<FaultKind, Long> faults,
        int filesWritten,
        long bytesWritten,
        double seconds,
        Instant arrivalFrom,
        Instant arrivalTo,
        Expected expected,
        RegistryReport registry) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The cleanse job's counts for the written lines.
     *
     * @param linesIn raw lines read
     * @param eventsCleansed events with at least one cleansed reading (late and converted ones included)
     * @param linesQuarantined lines rejected as a whole
     * @param duplicates lines dropped as repeated event ids
     * @param readingsCleansed metric values that survive into cleansed readings
     * @param quarantineRowsByReason quarantine rows by reason code, reading-level reasons included
     */
    public record Expected(
            long linesIn,
            long eventsCleansed,
            long linesQuarantined,
            long duplicates,
            long readingsCleansed,
            Map<String, Long> quarantineRowsByReason) {
        public Expected {
            quarantineRowsByReason = Collections.unmodifiableMap(new LinkedHashMap<>(quarantineRowsByReason));
        }

        /** All quarantine rows: one per quarantined line plus one per rejected reading. */
        public long quarantineRows() {
            return quarantineRowsByReason.values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    public InjectionReport {
        EnumMap<FaultKind, Long> all = new EnumMap<>(FaultKind.class);
        for (FaultKind kind : FaultKind.values()) {
            all.put(kind, faults.getOrDefault(kind, 0L));
        }
        faults = Collections.unmodifiableMap(all);
    }

    /** Builds the report, deriving {@code expected} from the fault counts. */
    static InjectionReport of(
            SimulateConfig config,
            long linesWritten,
            long eventsGenerated,
            Map<FaultKind, Long> faults,
            int filesWritten,
            long bytesWritten,
            double seconds,
            Instant arrivalFrom,
            Instant arrivalTo,
            long readingsCleansed,
            RegistryReport registry) {
        Map<String, Long> rows = new LinkedHashMap<>();
        long quarantined = 0;
        for (FaultKind kind : FaultKind.values()) {
            long n = faults.getOrDefault(kind, 0L);
            if (kind.quarantines()) {
                rows.put(kind.code(), n);
            }
            if (kind.outcome() == FaultKind.Outcome.LINE_QUARANTINED) {
                quarantined += n;
            }
        }
        long duplicates = faults.getOrDefault(FaultKind.DUPLICATE, 0L);
        Expected expected = new Expected(
                linesWritten, eventsGenerated - quarantined, quarantined, duplicates, readingsCleansed, rows);
        return new InjectionReport(
                config,
                linesWritten,
                eventsGenerated,
                faults,
                filesWritten,
                bytesWritten,
                seconds,
                arrivalFrom,
                arrivalTo,
                expected,
                registry);
    }

    /** Injected faults of {@code kind}. */
    public long count(FaultKind kind) {
        return faults.get(kind);
    }

    /** Events that got a fault (a duplicated event has exactly one extra copy). */
    public long faultedEvents() {
        return faults.values().stream().mapToLong(Long::longValue).sum();
    }

    public double eventsPerSecond() {
        return seconds > 0 ? eventsGenerated / seconds : 0;
    }

    /** The report as pretty-printed JSON with snake_case keys. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode c = root.putObject("config");
        c.put("lake", config.lake());
        c.put("devices", config.devices());
        c.put("start", config.start().toString());
        c.put("duration", config.duration().toString());
        c.put("interval", config.interval().toString());
        c.put("profile", config.profile().code());
        c.put("faults", config.faults().code());
        c.put("seed", config.seed());
        c.put("gzip", config.gzip());
        c.put("files_per_hour", config.filesPerHour());
        c.put("registry", config.registry());
        root.put("lines_written", linesWritten);
        root.put("events_generated", eventsGenerated);
        ObjectNode f = root.putObject("faults");
        faults.forEach((kind, n) -> f.put(kind.code(), n));
        root.put("files_written", filesWritten);
        root.put("bytes_written", bytesWritten);
        root.put("seconds", Math.round(seconds * 1000) / 1000.0);
        root.put("arrival_from", arrivalFrom == null ? null : arrivalFrom.toString());
        root.put("arrival_to", arrivalTo == null ? null : arrivalTo.toString());
        ObjectNode e = root.putObject("expected");
        e.put("lines_in", expected.linesIn());
        e.put("events_cleansed", expected.eventsCleansed());
        e.put("lines_quarantined", expected.linesQuarantined());
        e.put("duplicates", expected.duplicates());
        e.put("readings_cleansed", expected.readingsCleansed());
        ObjectNode rows = e.putObject("quarantine_rows_by_reason");
        expected.quarantineRowsByReason().forEach(rows::put);
        ObjectNode outcomes = root.putObject("fault_outcomes");
        for (FaultKind kind : FaultKind.values()) {
            outcomes.put(kind.code(), kind.outcomeText());
        }
        if (registry == null) {
            root.putNull("registry");
        } else {
            registry.writeTo(root.putObject("registry"));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Parses {@link #toJson()} output. */
    public static InjectionReport fromJson(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            JsonNode c = root.get("config");
            SimulateConfig config = new SimulateConfig(
                    c.get("lake").asText(),
                    c.get("devices").asInt(),
                    Instant.parse(c.get("start").asText()),
                    Duration.parse(c.get("duration").asText()),
                    Duration.parse(c.get("interval").asText()),
                    SimulateConfig.Profile.of(c.get("profile").asText()),
                    SimulateConfig.FaultLevel.of(c.get("faults").asText()),
                    c.get("seed").asLong(),
                    c.get("gzip").asBoolean(),
                    c.get("files_per_hour").asInt(),
                    c.path("registry").asBoolean(true));
            Map<FaultKind, Long> faults = new EnumMap<>(FaultKind.class);
            for (FaultKind kind : FaultKind.values()) {
                faults.put(kind, root.get("faults").path(kind.code()).asLong());
            }
            JsonNode e = root.get("expected");
            Map<String, Long> rows = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            e.get("quarantine_rows_by_reason").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> row = it.next();
                rows.put(row.getKey(), row.getValue().asLong());
            }
            return new InjectionReport(
                    config,
                    root.get("lines_written").asLong(),
                    root.get("events_generated").asLong(),
                    faults,
                    root.get("files_written").asInt(),
                    root.get("bytes_written").asLong(),
                    root.get("seconds").asDouble(),
                    instant(root.get("arrival_from")),
                    instant(root.get("arrival_to")),
                    new Expected(
                            e.get("lines_in").asLong(),
                            e.get("events_cleansed").asLong(),
                            e.get("lines_quarantined").asLong(),
                            e.get("duplicates").asLong(),
                            e.get("readings_cleansed").asLong(),
                            rows),
                    root.path("registry").isObject() ? RegistryReport.readFrom(root.get("registry")) : null);
        } catch (IOException | RuntimeException ex) {
            throw new IllegalArgumentException("not a simulator report: " + ex.getMessage(), ex);
        }
    }

    private static Instant instant(JsonNode node) {
        return node == null || node.isNull() ? null : Instant.parse(node.asText());
    }

    /** Reads a report file written by the simulator: a local path or a {@code file:} URI. */
    public static InjectionReport read(String path) {
        Path file = path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path);
        try {
            return fromJson(Files.readString(file));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read simulator report " + path, ex);
        }
    }

    private static String versions(RegistryReport.Scd2 v) {
        return String.format(
                Locale.ROOT,
                "%,d device versions (%,d current), %,d location versions (%,d current)",
                v.deviceVersions(),
                v.currentDeviceVersions(),
                v.locationVersions(),
                v.currentLocationVersions());
    }

    /** A table of fault kinds, counts and expected outcomes, with totals, for the console. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "simulate: %,d events as %,d lines in %,d files (%.1f MB) in %.2f s, %,.0f events/s%n",
                eventsGenerated,
                linesWritten,
                filesWritten,
                bytesWritten / 1e6,
                seconds,
                eventsPerSecond()));
        b.append(String.format(
                Locale.ROOT,
                "  %s profile, %,d devices, %s from %s every %s, faults %s, seed %d; arrival hours %s to %s%n",
                config.profile().code(),
                config.devices(),
                config.duration(),
                config.start(),
                config.interval(),
                config.faults().code(),
                config.seed(),
                arrivalFrom,
                arrivalTo));
        String row = "  %-18s %10s  %s%n";
        b.append(String.format(Locale.ROOT, row, "fault kind", "count", "expected cleanse outcome"));
        for (FaultKind kind : FaultKind.values()) {
            b.append(String.format(
                    Locale.ROOT, row, kind.code(), String.format(Locale.ROOT, "%,d", count(kind)), kind.outcomeText()));
        }
        double share = eventsGenerated == 0 ? 0 : 100.0 * faultedEvents() / eventsGenerated;
        b.append(String.format(
                Locale.ROOT,
                row,
                "total",
                String.format(Locale.ROOT, "%,d", faultedEvents()),
                String.format(Locale.ROOT, "%.2f %% of events", share)));
        b.append(String.format(
                Locale.ROOT,
                "  expected: lines_in %,d = events_cleansed %,d + lines_quarantined %,d + duplicates %,d; readings_cleansed %,d; quarantine rows %,d%n",
                expected.linesIn(),
                expected.eventsCleansed(),
                expected.linesQuarantined(),
                expected.duplicates(),
                expected.readingsCleansed(),
                expected.quarantineRows()));
        if (registry != null) {
            RegistryReport r = registry;
            b.append(String.format(
                    Locale.ROOT,
                    "registry: %,d snapshot files (%,d device and %,d location rows, %,d malformed), %,d CDC lines in %,d files: %,d records %s,%n",
                    r.snapshotFiles().size(),
                    r.snapshotRows("device"),
                    r.snapshotRows("location"),
                    r.malformedSnapshotRows(),
                    r.cdcLines(),
                    r.cdcFiles(),
                    r.cdcRecords(),
                    r.cdcRecordsByEventName()));
            b.append(String.format(
                    Locale.ROOT,
                    "  %,d duplicates, %,d out of order, malformed %s; changes in the window %s; %,d unregistered, %,d re-registered devices%n",
                    r.duplicates(),
                    r.outOfOrder(),
                    r.malformedCdcLinesByReason(),
                    r.changesByKind(),
                    r.unregisteredDevices().size(),
                    r.reRegisteredDevices().size()));
            b.append(String.format(
                    Locale.ROOT,
                    "  expected SCD2 from CDC: %s; from snapshots: %s%n",
                    versions(r.expectedFromCdc()),
                    versions(r.expectedFromSnapshots())));
        }
        return b.toString();
    }
}
