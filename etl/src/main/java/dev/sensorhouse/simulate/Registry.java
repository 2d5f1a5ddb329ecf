package dev.sensorhouse.simulate;

import dev.sensorhouse.simulate.RegistryItem.Device;
import dev.sensorhouse.simulate.RegistryItem.Location;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The device registry of the simulated fleet (a DynamoDB table, {@code device-registry}) and its
 * whole history, derived from the seed like everything else the simulator makes. {@link
 * RegistryFiles} writes it as daily snapshots and as DynamoDB-stream CDC records.
 *
 * <p>The model:
 *
 * <ul>
 *   <li>Every farm (agriculture) or fleet (vehicle) has a customer and 2-4 locations: fields {@code
 *       loc-farm007-field-2} with a crop, or depots {@code loc-fleet03-depot-1} without one. The
 *       columns are generic: a fleet fills {@code farm} ({@code fleet-03}) and {@code field} ({@code
 *       depot-1}). Locations exist from 1 January two years before the start year.
 *   <li>Every device ({@link DeviceModel#deviceId}) has an item installed 7 to 540 days before the
 *       start, at one of its farm's locations, reporting the firmware its events report; about 1 %
 *       of the devices (at least one from 20 devices on) are never registered.
 *   <li>During the window {@code [start, end)} each registered device changes at random times
 *       (per-device streams, rates per device and day): moves to another location of its farm
 *       (0.04; 30 % of them with a status or firmware change at the same instant, a technician's
 *       visit), firmware updates (0.05), status flips active/maintenance (0.03), note edits that
 *       change no tracked attribute (0.02) and retirements (0.004, the item is removed). Each
 *       location changes its crop or name at 0.05 per day. One day of 200 devices has about 30
 *       changes.
 *   <li>The events follow the registry: a device reports its new firmware from the update on, and a
 *       retired device sends nothing from its retirement on. Unregistered devices keep their
 *       firmware and never retire.
 *   <li>With faults ({@link RegistryFault}), some devices are removed and inserted again hours
 *       later (they keep sending events in the gap; changes due in the gap are applied to the item
 *       that is inserted again), and some have a short maintenance flap whose first record {@link
 *       RegistryFiles} delivers late. The events never depend on the fault level.
 * </ul>
 *
 * <p>Every change is one CDC record with an {@code ApproximateCreationDateTime} (epoch milliseconds)
 * and a {@code SequenceNumber}: 28 digits, strictly increasing in (time, item, change) order across
 * the whole registry. The state at an instant {@code T} (a snapshot) is the result of every change
 * with a time {@code <= T}.
 */
final class Registry {
    static final String TABLE = "device-registry";
    static final String DEVICE_PREFIX = "DEVICE#";
    static final String LOCATION_PREFIX = "LOCATION#";
    static final String SORT_KEY = "PROFILE";
    static final String ACTIVE = "active";
    static final String MAINTENANCE = "maintenance";

    private static final long DAY_MS = 86_400_000L;
    private static final String SEQUENCE_PREFIX = "44215845";

    /** A DynamoDB stream record's {@code eventName}. */
    enum EventName {
        INSERT,
        MODIFY,
        REMOVE
    }

    /**
     * One change of one item: one CDC record. {@code before} is null for an INSERT, {@code after} for a
     * REMOVE. {@code kind} says what changed ({@code insert}, {@code move}, {@code firmware}, {@code
     * status}, {@code note}, {@code retire}, {@code crop}, {@code name}, {@code re_register}).
     */
    static final class Change {
        final long time;
        final int item;
        final int ordinal;
        final EventName eventName;
        final String kind;
        final RegistryItem before;
        final RegistryItem after;
        /** The first record of an out-of-order flap: {@link RegistryFiles} delivers it late. */
        final boolean deliverLate;

        /** Per-record hash: event id and delivery delay. */
        long hash;

        String sequenceNumber;
        String eventId;

        Change(
                long time,
                int item,
                int ordinal,
                EventName eventName,
                String kind,
                RegistryItem before,
                RegistryItem after,
                boolean deliverLate) {
            this.time = time;
            this.item = item;
            this.ordinal = ordinal;
            this.eventName = eventName;
            this.kind = kind;
            this.before = before;
            this.after = after;
            this.deliverLate = deliverLate;
        }

        /** The item after the change, or before it for a REMOVE. */
        RegistryItem image() {
            return after != null ? after : before;
        }
    }

    /** The registry at {@code date}'s midnight (UTC): items sorted by natural key. */
    record Snapshot(LocalDate date, List<Device> devices, List<Location> locations) {}

    /** Firmware the events report from each time on (ascending), after the initial firmware. */
    record Firmware(long[] times, byte[][] versions) {}

    private final SimulateConfig config;
    private final long start;
    private final long end;
    /** Item histories by item number: locations first (by group, then number), then devices by index. */
    private final List<List<Change>> histories = new ArrayList<>();
    /** Item numbers ordered by natural key, per kind. */
    private final int[] locationsByKey;

    private final int[] devicesByKey;
    private final List<Change> changes;
    private final List<String> unregistered;
    private final List<String> reRegistered;
    private final long[] retiredAt;
    private final Firmware[] firmware;

    Registry(
            SimulateConfig config,
            List<List<Change>> histories,
            int[] locationsByKey,
            int[] devicesByKey,
            List<String> unregistered,
            List<String> reRegistered,
            long[] retiredAt,
            Firmware[] firmware) {
        this.config = config;
        this.start = config.start().toEpochMilli();
        this.end = start + config.duration().toMillis();
        this.histories.addAll(histories);
        this.locationsByKey = locationsByKey;
        this.devicesByKey = devicesByKey;
        this.unregistered = List.copyOf(unregistered);
        this.reRegistered = List.copyOf(reRegistered);
        this.retiredAt = retiredAt;
        this.firmware = firmware;
        List<Change> all = new ArrayList<>();
        histories.forEach(all::addAll);
        all.sort(Comparator.<Change>comparingLong(c -> c.time)
                .thenComparingInt(c -> c.item)
                .thenComparingInt(c -> c.ordinal));
        long salt = Seeds.mix(config.seed() ^ 0x5245474953545259L); // "REGISTRY"
        long previous = 0;
        for (Change c : all) {
            c.hash = Seeds.of(salt, c.item, c.ordinal);
            previous = Math.max(
                    previous + 1 + Math.floorMod(c.hash, 97), c.time * 10_000 + Math.floorMod(c.hash >>> 20, 5_000));
            c.sequenceNumber = SEQUENCE_PREFIX + String.format(Locale.ROOT, "%020d", previous);
            long hi = (Seeds.mix(c.hash + 1) & ~0xF000L) | 0x4000L;
            long lo = (Seeds.mix(c.hash + 2) & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
            c.eventId = new LineBuilder(36).appendUuid(hi, lo).toString();
        }
        this.changes = List.copyOf(all);
    }

    SimulateConfig config() {
        return config;
    }

    /** Every change, in sequence-number order. */
    List<Change> changes() {
        return changes;
    }

    /** Device ids that send events but have no registry item, sorted. */
    List<String> unregistered() {
        return unregistered;
    }

    /** Device ids removed and inserted again during the window, sorted. */
    List<String> reRegistered() {
        return reRegistered;
    }

    /** When device {@code index} retires (its last event is before), or {@code Long.MAX_VALUE}. */
    long retiredAt(int index) {
        return retiredAt[index];
    }

    /** The firmware updates device {@code index} reports in its events, or null when none. */
    Firmware firmware(int index) {
        return firmware[index];
    }

    /** The days with a snapshot: the start's date through the date of the window's last millisecond. */
    List<LocalDate> snapshotDates() {
        List<LocalDate> dates = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(Instant.ofEpochMilli(end - 1), ZoneOffset.UTC);
        for (LocalDate d = LocalDate.ofInstant(config.start(), ZoneOffset.UTC); !d.isAfter(last); d = d.plusDays(1)) {
            dates.add(d);
        }
        return dates;
    }

    /** The registry at each snapshot date's midnight: the result of every change up to that instant. */
    List<Snapshot> snapshots() {
        List<Snapshot> out = new ArrayList<>();
        for (LocalDate date : snapshotDates()) {
            long at = date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            List<Device> devices = new ArrayList<>();
            for (int item : devicesByKey) {
                RegistryItem state = stateAt(histories.get(item), at);
                if (state != null) {
                    devices.add((Device) state);
                }
            }
            List<Location> locations = new ArrayList<>();
            for (int item : locationsByKey) {
                RegistryItem state = stateAt(histories.get(item), at);
                if (state != null) {
                    locations.add((Location) state);
                }
            }
            out.add(new Snapshot(date, List.copyOf(devices), List.copyOf(locations)));
        }
        return out;
    }

    private static RegistryItem stateAt(List<Change> history, long at) {
        RegistryItem state = null;
        for (Change c : history) {
            if (c.time > at) {
                break;
            }
            state = c.after;
        }
        return state;
    }

    /**
     * The SCD2 outcome of applying the CDC records alone: per item, changes at the same time form one
     * step; a step opens a version when the item did not exist before it or its tracked attributes
     * ({@link RegistryItem#columns()}) differ from the open version's, and closes the open version when it
     * ends with the item removed.
     */
    RegistryReport.Scd2 cdcVersions() {
        long[] versions = new long[2];
        long[] open = new long[2];
        for (List<Change> history : histories) {
            if (history.isEmpty()) {
                continue;
            }
            int kind = history.get(0).image() instanceof Device ? 0 : 1;
            List<String> current = null;
            for (int i = 0; i < history.size(); ) {
                long time = history.get(i).time;
                RegistryItem after = null;
                for (; i < history.size() && history.get(i).time == time; i++) {
                    after = history.get(i).after;
                }
                List<String> next = after == null ? null : after.columns();
                if (next != null && !next.equals(current)) {
                    versions[kind]++;
                }
                current = next;
            }
            open[kind] += current != null ? 1 : 0;
        }
        return new RegistryReport.Scd2(versions[0], versions[1], open[0], open[1]);
    }

    /**
     * The SCD2 outcome of applying the daily snapshots alone: an item opens a version in a snapshot
     * where it appears or its tracked attributes differ from the previous snapshot's, and closes it in
     * a snapshot where it is absent; the items of the last snapshot stay open.
     */
    static RegistryReport.Scd2 snapshotVersions(List<Snapshot> snapshots) {
        long[] versions = new long[2];
        java.util.Map<String, List<String>> previous = new java.util.HashMap<>();
        for (Snapshot s : snapshots) {
            java.util.Map<String, List<String>> now = new java.util.HashMap<>();
            for (RegistryItem item : concat(s)) {
                List<String> columns = item.columns();
                now.put(item.pk(), columns);
                if (!columns.equals(previous.get(item.pk()))) {
                    versions[item instanceof Device ? 0 : 1]++;
                }
            }
            previous = now;
        }
        Snapshot last = snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1);
        return new RegistryReport.Scd2(
                versions[0],
                versions[1],
                last == null ? 0 : last.devices().size(),
                last == null ? 0 : last.locations().size());
    }

    private static List<RegistryItem> concat(Snapshot s) {
        List<RegistryItem> all = new ArrayList<>(s.devices());
        all.addAll(s.locations());
        return all;
    }

    /** The number of changes of each kind within the window (INSERTs before it are not counted). */
    java.util.Map<String, Long> changesInWindow() {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        for (Change c : changes) {
            if (c.time >= start) {
                counts.merge(c.kind, 1L, Long::sum);
            }
        }
        return counts;
    }

    /** The next change of the same item after {@code c}, or null. */
    Change nextOfItem(Change c) {
        List<Change> history = histories.get(c.item);
        return c.ordinal + 1 < history.size() ? history.get(c.ordinal + 1) : null;
    }
}
