package dev.sensorhouse.simulate;

import dev.sensorhouse.simulate.Registry.Change;
import dev.sensorhouse.simulate.Registry.EventName;
import dev.sensorhouse.simulate.Registry.Firmware;
import dev.sensorhouse.simulate.RegistryItem.Device;
import dev.sensorhouse.simulate.RegistryItem.Location;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Builds a {@link Registry}: the farms and fleets ({@link RegistryPlaces}), which devices are
 * registered, each device's initial item and natural changes (moves, firmware updates, status flips,
 * note edits, retirements), the registry faults that change only the history (re-registrations,
 * out-of-order flaps), and each item's history of changes. Everything comes from the seed.
 */
final class RegistryBuilder {
    private static final long MINUTE_MS = 60_000L;
    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;

    /** Natural changes per registered device and day, by kind. */
    private static final double MOVE_RATE = 0.04,
            FIRMWARE_RATE = 0.05,
            STATUS_RATE = 0.03,
            NOTE_RATE = 0.02,
            RETIRE_RATE = 0.004;

    private static final double UNREGISTERED_SHARE = 0.01;
    private static final double VISIT_SHARE = 0.3;

    private static final String[] NOTES = {
        "battery replaced", "recalibrated", "antenna repositioned", "sensor head cleaned", "checked after storm"
    };
    private static final String[] PROBE_FIRMWARE_PATH = {"2.3.7", "2.4.1", "2.5.0", "2.5.1", "2.6.0"};
    private static final String[] TRACKER_FIRMWARE_PATH = {"4.9.8", "5.1.0", "5.2.3", "5.3.0", "5.3.1"};

    /** A device change before it becomes a {@link Change}: what happens at which time. */
    private record Op(long time, String kind, int arg, String value, boolean deliverLate) {}

    private RegistryBuilder() {}

    /**
     * Builds the registry of {@code config}'s devices; {@code initialFirmware} gives the firmware a
     * device's model reports at the start.
     */
    static Registry build(SimulateConfig config, IntFunction<byte[]> initialFirmware) {
        boolean agriculture = config.profile() == SimulateConfig.Profile.AGRICULTURE;
        int perGroup = agriculture ? AgricultureProbe.PROBES_PER_FARM : VehicleTracker.TRUCKS_PER_FLEET;
        int devices = config.devices();
        long seed = config.seed();
        long start = config.start().toEpochMilli();
        long end = start + config.duration().toMillis();
        long startDay = Math.floorDiv(start, DAY_MS) * DAY_MS;
        long locationsSince = RegistryPlaces.locationsSince(config);

        // 1. Farms or fleets with their locations, and the locations' changes.
        int groups = (devices - 1) / perGroup + 1;
        RegistryPlaces.Group[] group = new RegistryPlaces.Group[groups];
        List<List<Change>> histories = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            group[g] = RegistryPlaces.group(config, g);
            for (int k = 0; k < group[g].locations().size(); k++) {
                Location initial = group[g].locations().get(k);
                histories.add(RegistryPlaces.locationHistory(
                        config, histories.size(), g, k, initial, locationsSince, start, end));
            }
        }
        int locationItems = histories.size();

        // 2. Which devices are registered: about 1 %, at least one from 20 devices on, are not.
        double[] unregisteredDraw = new double[devices];
        boolean[] registered = new boolean[devices];
        int lowest = 0;
        boolean anyUnregistered = false;
        for (int i = 0; i < devices; i++) {
            unregisteredDraw[i] = new SplittableRandom(Seeds.of(seed, i, Seeds.REGISTRY)).nextDouble();
            registered[i] = unregisteredDraw[i] >= UNREGISTERED_SHARE;
            anyUnregistered |= !registered[i];
            lowest = unregisteredDraw[i] < unregisteredDraw[lowest] ? i : lowest;
        }
        if (!anyUnregistered && devices >= 20) {
            registered[lowest] = false;
        }

        // 3. Each registered device's initial item and natural changes; these decide the events.
        Device[] initial = new Device[devices];
        List<List<Op>> ops = new ArrayList<>(devices);
        long[] retiredAt = new long[devices];
        Firmware[] firmware = new Firmware[devices];
        List<String> unregistered = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            retiredAt[i] = Long.MAX_VALUE;
            if (!registered[i]) {
                unregistered.add(DeviceModel.deviceId(config.profile(), i));
                ops.add(null);
                continue;
            }
            String fw = new String(initialFirmware.apply(i), java.nio.charset.StandardCharsets.US_ASCII);
            initial[i] = device(config, i, group[i / perGroup], fw, startDay);
            List<Op> natural = naturalOps(config, i, fw, start, end);
            ops.add(natural);
            List<Long> times = new ArrayList<>();
            List<byte[]> versions = new ArrayList<>();
            for (Op op : natural) {
                if (op.kind().equals("firmware")) {
                    times.add(op.time());
                    versions.add(op.value().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } else if (op.kind().equals("retire")) {
                    retiredAt[i] = op.time();
                }
            }
            if (!times.isEmpty()) {
                firmware[i] = new Firmware(
                        times.stream().mapToLong(Long::longValue).toArray(), versions.toArray(new byte[0][]));
            }
        }

        // 4. Registry faults that change the history (never the events): re-registrations and flaps.
        List<String> reRegistered = new ArrayList<>();
        SimulateConfig.FaultLevel level = config.faults();
        if (level != SimulateConfig.FaultLevel.NONE) {
            SplittableRandom r = new SplittableRandom(Seeds.of(seed, -3, Seeds.REGISTRY_FAULTS));
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                if (registered[i]) {
                    candidates.add(i);
                }
            }
            boolean[] used = new boolean[devices];
            double deviceDays = devices * (end - start) / (double) DAY_MS;
            long window = end - start;
            if (window >= DAY_MS && !candidates.isEmpty()) {
                long wanted = RegistryFault.RE_REGISTERED.count(level, deviceDays);
                for (long n = 0, attempts = 0; n < wanted && attempts < 20 * wanted; attempts++) {
                    int i = candidates.get(r.nextInt(candidates.size()));
                    long removeAt = start + HOUR_MS + r.nextLong(window - 14 * HOUR_MS);
                    long insertAt = ceil(removeAt + 2 * HOUR_MS + r.nextLong(10 * HOUR_MS), MINUTE_MS);
                    if (used[i] || retiredAt[i] <= insertAt + HOUR_MS) {
                        continue;
                    }
                    used[i] = true;
                    ops.get(i).add(new Op(removeAt, "re_register", 0, null, false));
                    ops.get(i).add(new Op(insertAt, "re_register", 1, null, false));
                    reRegistered.add(initial[i].deviceId());
                    n++;
                }
            }
            long maxGap = Math.min(50 * MINUTE_MS, window / 2);
            if (maxGap >= MINUTE_MS && !candidates.isEmpty()) {
                long minGap = Math.min(5 * MINUTE_MS, maxGap / 2);
                long wanted = RegistryFault.OUT_OF_ORDER.count(level, deviceDays);
                for (long n = 0, attempts = 0; n < wanted && attempts < 20 * wanted; attempts++) {
                    int i = candidates.get(r.nextInt(candidates.size()));
                    long gap = minGap + r.nextLong(maxGap - minGap + 1);
                    long first = start + r.nextLong(window - gap);
                    if (used[i] || retiredAt[i] <= first + gap) {
                        continue;
                    }
                    used[i] = true;
                    ops.get(i).add(new Op(first, "status", 0, null, true));
                    ops.get(i).add(new Op(first + gap, "status", 0, null, false));
                    n++;
                }
            }
            reRegistered.sort(Comparator.naturalOrder());
        }

        // 5. Fold each device's changes into items.
        for (int i = 0; i < devices; i++) {
            List<Change> history = new ArrayList<>();
            if (registered[i]) {
                List<Op> list = ops.get(i);
                list.sort(Comparator.comparingLong(Op::time)); // stable: same-time ops keep their order
                history = deviceHistory(locationItems + i, initial[i], list, group[i / perGroup]);
            }
            histories.add(history);
        }

        int[] locationsByKey = order(histories, 0, locationItems);
        int[] devicesByKey = order(histories, locationItems, histories.size());
        return new Registry(
                config, histories, locationsByKey, devicesByKey, unregistered, reRegistered, retiredAt, firmware);
    }

    private static int[] order(List<List<Change>> histories, int from, int to) {
        return java.util.stream.IntStream.range(from, to)
                .filter(i -> !histories.get(i).isEmpty())
                .boxed()
                .sorted(Comparator.comparing(
                        i -> histories.get(i).get(0).image().key()))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private static Device device(
            SimulateConfig config, int index, RegistryPlaces.Group group, String firmware, long startDay) {
        boolean agriculture = config.profile() == SimulateConfig.Profile.AGRICULTURE;
        SplittableRandom r = new SplittableRandom(Seeds.of(config.seed(), index, Seeds.REGISTRY));
        r.nextDouble(); // the unregistered draw
        double m = r.nextDouble();
        String model = agriculture
                ? (m < 0.6 ? "SoilProbe X2" : m < 0.9 ? "SoilProbe X3" : "SoilProbe Lite")
                : firmware.startsWith("4.") ? "TrackerPro 4" : m < 0.8 ? "TrackerPro 5" : "FleetBox 2";
        String location =
                group.locations().get(r.nextInt(group.locations().size())).locationId();
        long installedAt = startDay - (7 + r.nextInt(534)) * DAY_MS + 7 * HOUR_MS + r.nextInt(44) * 15 * MINUTE_MS;
        String status = r.nextDouble() < 0.05 ? Registry.MAINTENANCE : Registry.ACTIVE;
        int depth = agriculture ? new int[] {20, 30, 45}[r.nextInt(3)] : 0;
        int bay = agriculture ? 0 : 1 + r.nextInt(40);
        List<String> tags = new ArrayList<>(agriculture ? List.of("probe", "soil") : List.of("telematics", "truck"));
        if (r.nextDouble() < 0.3) {
            tags.add(agriculture ? "solar" : "refrigerated");
        }
        tags.sort(Comparator.naturalOrder());
        boolean notes = r.nextDouble() < 0.4;
        return new Device(
                DeviceModel.deviceId(config.profile(), index),
                model,
                firmware,
                group.customer(),
                group.farm(),
                location,
                Instant.ofEpochMilli(installedAt),
                status,
                depth,
                bay,
                List.copyOf(tags),
                notes,
                null);
    }

    /** The natural changes of device {@code index} in {@code [start, end)}, in time order. */
    private static List<Op> naturalOps(SimulateConfig config, int index, String firmware, long start, long end) {
        String[] path =
                config.profile() == SimulateConfig.Profile.AGRICULTURE ? PROBE_FIRMWARE_PATH : TRACKER_FIRMWARE_PATH;
        SplittableRandom r = new SplittableRandom(Seeds.of(config.seed(), index, Seeds.REGISTRY_CHANGES));
        double rate = MOVE_RATE + FIRMWARE_RATE + STATUS_RATE + NOTE_RATE + RETIRE_RATE;
        List<Op> ops = new ArrayList<>();
        String fw = firmware;
        for (long t = start + exponential(r, rate); t < end; t += exponential(r, rate)) {
            double u = r.nextDouble() * rate;
            if (u < MOVE_RATE) {
                ops.add(new Op(t, "move", r.nextInt(1 << 20), null, false));
                if (r.nextDouble() < VISIT_SHARE) {
                    if (r.nextBoolean()) {
                        ops.add(new Op(t, "status", 0, null, false));
                    } else {
                        fw = upgrade(fw, path);
                        ops.add(new Op(t, "firmware", 0, fw, false));
                    }
                }
            } else if (u < MOVE_RATE + FIRMWARE_RATE) {
                fw = upgrade(fw, path);
                ops.add(new Op(t, "firmware", 0, fw, false));
            } else if (u < MOVE_RATE + FIRMWARE_RATE + STATUS_RATE) {
                ops.add(new Op(t, "status", 0, null, false));
            } else if (u < rate - RETIRE_RATE) {
                ops.add(new Op(t, "note", r.nextInt(NOTES.length), null, false));
            } else {
                ops.add(new Op(t, "retire", 0, null, false));
                break;
            }
        }
        return ops;
    }

    /**
     * Applies {@code ops} to {@code initial}: one {@link Change} each, except changes during a
     * re-registration gap, which are applied to the item inserted again without records of their own.
     */
    private static List<Change> deviceHistory(int item, Device initial, List<Op> ops, RegistryPlaces.Group group) {
        List<Change> history = new ArrayList<>();
        history.add(new Change(
                initial.installedAt().toEpochMilli(), item, 0, EventName.INSERT, "insert", null, initial, false));
        Device current = initial;
        boolean exists = true;
        for (Op op : ops) {
            String here = current.locationId();
            Device next = switch (op.kind()) {
                case "move" -> {
                    List<String> others = group.locations().stream()
                            .map(Location::locationId)
                            .filter(id -> !id.equals(here))
                            .toList();
                    yield current.withLocation(others.get(op.arg() % others.size()));
                }
                case "firmware" -> current.withFirmware(op.value());
                case "status" ->
                    current.withStatus(
                            current.status().equals(Registry.ACTIVE) ? Registry.MAINTENANCE : Registry.ACTIVE);
                case "note" ->
                    current.withNotes(
                            NOTES[(op.arg() + (NOTES[op.arg()].equals(current.notes()) ? 1 : 0)) % NOTES.length]);
                case "re_register" -> op.arg() == 0 ? null : current.reinstalled(Instant.ofEpochMilli(op.time()));
                default -> null; // retire
            };
            if (exists && next == null) {
                history.add(
                        new Change(op.time(), item, history.size(), EventName.REMOVE, op.kind(), current, null, false));
                exists = false;
                if (op.kind().equals("retire")) {
                    break;
                }
            } else if (exists) {
                history.add(new Change(
                        op.time(), item, history.size(), EventName.MODIFY, op.kind(), current, next, op.deliverLate()));
                current = next;
            } else if (op.kind().equals("re_register")) {
                history.add(
                        new Change(op.time(), item, history.size(), EventName.INSERT, op.kind(), null, next, false));
                current = next;
                exists = true;
            } else {
                current = next; // a change due while the device is not in the registry
            }
        }
        return history;
    }

    static long exponential(SplittableRandom r, double perDay) {
        return 1 + (long) (-Math.log(1 - r.nextDouble()) / perDay * DAY_MS);
    }

    static String other(String[] values, String current, SplittableRandom r) {
        String v = values[r.nextInt(values.length)];
        return v.equals(current) ? values[(Arrays.asList(values).indexOf(v) + 1) % values.length] : v;
    }

    /** The next firmware on the upgrade path, or the patch version plus one past its end. */
    static String upgrade(String firmware, String[] path) {
        int at = Arrays.asList(path).indexOf(firmware);
        if (at >= 0 && at + 1 < path.length) {
            return path[at + 1];
        }
        int dot = firmware.lastIndexOf('.');
        return firmware.substring(0, dot + 1) + (Integer.parseInt(firmware.substring(dot + 1)) + 1);
    }

    private static long ceil(long t, long unit) {
        return Math.floorDiv(t + unit - 1, unit) * unit;
    }
}
