package dev.sensorhouse.simulate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

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

    private static final long MINUTE_MS = 60_000L;
    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;

    /** Natural changes per registered device and day, by kind. */
    private static final double MOVE_RATE = 0.04,
            FIRMWARE_RATE = 0.05,
            STATUS_RATE = 0.03,
            NOTE_RATE = 0.02,
            RETIRE_RATE = 0.004;

    /** Crop or name changes per location and day. */
    private static final double LOCATION_CHANGE_RATE = 0.05;

    private static final double UNREGISTERED_SHARE = 0.01;
    private static final double VISIT_SHARE = 0.3;
    private static final String SEQUENCE_PREFIX = "44215845";

    private static final String[] FARM_CUSTOMERS = {
        "acme-farms", "polder-growers", "greenfield-agri", "veld-en-vee", "zeeland-akkerbouw", "de-hoeve-bv"
    };
    private static final String[] FLEET_OPERATORS = {
        "northsea-logistics", "randstad-freight", "van-dijk-transport", "lowlands-haulage", "blue-road-bv"
    };
    private static final String[] FARM_NAMES = {
        "Hoeve \"De Eik\"",
        "Boerderij Zonneveld",
        "Polderhoeve",
        "Hof van Twello",
        "Maatschap Jansen",
        "De Groene Akker"
    };
    private static final String[] FIELD_NAMES = {
        "Noordveld", "Zuidakker", "De Brink", "Oosterkamp", "Hoge Akker", "Lage Weide", "Molenveld", "Kerkepad"
    };
    private static final String[] DEPOT_CITIES = {
        "Tilburg",
        "Venlo",
        "Zwolle",
        "Moerdijk",
        "Waalwijk",
        "Nijmegen",
        "Almere",
        "Rotterdam-Waalhaven",
        "Breda",
        "Amersfoort"
    };
    private static final String[] CROPS = {
        "potatoes", "sugar beet", "winter wheat", "onions", "maize", "tulips", "grass"
    };
    private static final String[] NOTES = {
        "battery replaced", "recalibrated", "antenna repositioned", "sensor head cleaned", "checked after storm"
    };
    private static final String[] PROBE_FIRMWARE_PATH = {"2.3.7", "2.4.1", "2.5.0", "2.5.1", "2.6.0"};
    private static final String[] TRACKER_FIRMWARE_PATH = {"4.9.8", "5.1.0", "5.2.3", "5.3.0", "5.3.1"};

    /** A DynamoDB stream record's {@code eventName}. */
    enum EventName {
        INSERT,
        MODIFY,
        REMOVE
    }

    /** A registry item's full state at one moment: a device or a location. */
    sealed interface Item permits Device, Location {
        /** The natural key, e.g. {@code farm-007-probe-0123}. */
        String key();

        /** The partition key, e.g. {@code DEVICE#farm-007-probe-0123}. */
        String pk();

        /** The snapshot columns in contract order (null for an empty value): the tracked attributes. */
        List<String> columns();
    }

    /**
     * A device item. {@code depthCm} (probes) and {@code bay} (trucks) sit next to the location in the
     * item's {@code placement} map, 0 when absent; {@code tags} and {@code notes} are untracked.
     *
     * @param notesAttribute whether the item has a {@code notes} attribute; {@code notes} null means
     *     {@code {"NULL": true}}
     */
    record Device(
            String deviceId,
            String model,
            String firmware,
            String customer,
            String farm,
            String locationId,
            Instant installedAt,
            String status,
            int depthCm,
            int bay,
            List<String> tags,
            boolean notesAttribute,
            String notes)
            implements Item {
        public static final List<String> COLUMNS =
                List.of("device_id", "model", "firmware", "customer", "farm", "location_id", "installed_at", "status");

        @Override
        public String key() {
            return deviceId;
        }

        @Override
        public String pk() {
            return DEVICE_PREFIX + deviceId;
        }

        @Override
        public List<String> columns() {
            return List.of(deviceId, model, firmware, customer, farm, locationId, installedAt.toString(), status);
        }

        Device withLocation(String value) {
            return new Device(
                    deviceId,
                    model,
                    firmware,
                    customer,
                    farm,
                    value,
                    installedAt,
                    status,
                    depthCm,
                    bay,
                    tags,
                    notesAttribute,
                    notes);
        }

        Device withFirmware(String value) {
            return new Device(
                    deviceId,
                    model,
                    value,
                    customer,
                    farm,
                    locationId,
                    installedAt,
                    status,
                    depthCm,
                    bay,
                    tags,
                    notesAttribute,
                    notes);
        }

        Device withStatus(String value) {
            return new Device(
                    deviceId,
                    model,
                    firmware,
                    customer,
                    farm,
                    locationId,
                    installedAt,
                    value,
                    depthCm,
                    bay,
                    tags,
                    notesAttribute,
                    notes);
        }

        Device withNotes(String value) {
            return new Device(
                    deviceId,
                    model,
                    firmware,
                    customer,
                    farm,
                    locationId,
                    installedAt,
                    status,
                    depthCm,
                    bay,
                    tags,
                    true,
                    value);
        }

        Device reinstalled(Instant at) {
            return new Device(
                    deviceId,
                    model,
                    firmware,
                    customer,
                    farm,
                    locationId,
                    at,
                    ACTIVE,
                    depthCm,
                    bay,
                    tags,
                    notesAttribute,
                    notes);
        }
    }

    /**
     * A location item. {@code lat} and {@code lon} are decimal strings (at most 5 decimals) so the
     * snapshot and the CDC carry the same text; {@code crop} is null for depots.
     */
    record Location(
            String locationId,
            String name,
            String farm,
            String field,
            String crop,
            String region,
            String lat,
            String lon)
            implements Item {
        public static final List<String> COLUMNS =
                List.of("location_id", "name", "farm", "field", "crop", "region", "lat", "lon");

        @Override
        public String key() {
            return locationId;
        }

        @Override
        public String pk() {
            return LOCATION_PREFIX + locationId;
        }

        @Override
        public List<String> columns() {
            return Arrays.asList(locationId, name, farm, field, crop, region, lat, lon);
        }

        Location withName(String value) {
            return new Location(locationId, value, farm, field, crop, region, lat, lon);
        }

        Location withCrop(String value) {
            return new Location(locationId, name, farm, field, value, region, lat, lon);
        }
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
        final Item before;
        final Item after;
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
                Item before,
                Item after,
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
        Item image() {
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

    private Registry(
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

    /** Everything about one farm or fleet the registry needs. */
    private record Group(String farm, String customer, List<Location> locations) {}

    /** A device change before it becomes a {@link Change}: what happens at which time. */
    private record Op(long time, String kind, int arg, String value, boolean deliverLate) {}

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
        long locationsSince = locationsSince(config);

        // 1. Farms or fleets with their locations, and the locations' changes.
        int groups = (devices - 1) / perGroup + 1;
        Group[] group = new Group[groups];
        List<List<Change>> histories = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            group[g] = group(config, g);
            for (int k = 0; k < group[g].locations().size(); k++) {
                Location initial = group[g].locations().get(k);
                histories.add(locationHistory(config, histories.size(), g, k, initial, locationsSince, start, end));
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

    /** When every location was created: 1 January (UTC) two years before the start's year. */
    static long locationsSince(SimulateConfig config) {
        int year = LocalDate.ofInstant(config.start(), ZoneOffset.UTC).getYear();
        return LocalDate.of(year - 2, 1, 1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .toEpochMilli();
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

    private static Group group(SimulateConfig config, int g) {
        boolean agriculture = config.profile() == SimulateConfig.Profile.AGRICULTURE;
        SplittableRandom r = new SplittableRandom(Seeds.of(config.seed(), -1 - g, Seeds.REGISTRY));
        String farm = agriculture
                ? AgricultureProbe.pad(new StringBuilder("farm-"), g + 1, 3).toString()
                : AgricultureProbe.pad(new StringBuilder("fleet-"), g + 1, 2).toString();
        String compact = farm.replace("-", "");
        String customer = agriculture
                ? FARM_CUSTOMERS[r.nextInt(FARM_CUSTOMERS.length)]
                : FLEET_OPERATORS[r.nextInt(FLEET_OPERATORS.length)];
        double[] centre = agriculture
                ? AgricultureProbe.farmPosition(config.seed(), g)
                : VehicleTracker.depotPosition(config.seed(), g);
        String farmName = FARM_NAMES[r.nextInt(FARM_NAMES.length)];
        int count = 2 + r.nextInt(3);
        List<Location> locations = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            double lat = centre[0];
            double lon = centre[1];
            if (agriculture) {
                lat += r.nextDouble(-0.004, 0.004);
                lon += r.nextDouble(-0.006, 0.006);
                String name = fieldName(r, farmName);
                String crop = CROPS[r.nextInt(CROPS.length)];
                locations.add(new Location(
                        "loc-" + compact + "-field-" + k,
                        name,
                        farm,
                        "field-" + k,
                        crop,
                        region(lat, lon),
                        decimal(lat),
                        decimal(lon)));
            } else {
                if (k > 1) {
                    lat += r.nextDouble(-0.3, 0.3);
                    lon += r.nextDouble(-0.45, 0.45);
                }
                String name = "Depot " + DEPOT_CITIES[r.nextInt(DEPOT_CITIES.length)];
                locations.add(new Location(
                        "loc-" + compact + "-depot-" + k,
                        name,
                        farm,
                        "depot-" + k,
                        null,
                        region(lat, lon),
                        decimal(lat),
                        decimal(lon)));
            }
        }
        return new Group(farm, customer, List.copyOf(locations));
    }

    /** A field's name: half the time the farm's name too, which puts a comma (and maybe quotes) in it. */
    private static String fieldName(SplittableRandom r, String farmName) {
        String field = FIELD_NAMES[r.nextInt(FIELD_NAMES.length)];
        return r.nextBoolean() ? field : farmName + ", " + field;
    }

    /** The Dutch province around (lat, lon), roughly. */
    static String region(double lat, double lon) {
        if (lat >= 52.9) {
            return lon < 6.0 ? "Friesland" : "Groningen";
        }
        if (lat >= 52.4) {
            return lon < 5.0 ? "Noord-Holland" : lon < 5.9 ? "Flevoland" : "Overijssel";
        }
        if (lat >= 52.0) {
            return lon < 4.7 ? "Zuid-Holland" : lon < 5.5 ? "Utrecht" : "Gelderland";
        }
        if (lat >= 51.6) {
            return lon < 4.6 ? "Zuid-Holland" : lon < 5.8 ? "Noord-Brabant" : "Gelderland";
        }
        return lon < 4.3 ? "Zeeland" : lon < 5.9 ? "Noord-Brabant" : "Limburg";
    }

    /** A coordinate as at most 5 decimals without trailing zeros, e.g. {@code 52.1037}. */
    static String decimal(double v) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(5, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    private static List<Change> locationHistory(
            SimulateConfig config, int item, int g, int k, Location initial, long createdAt, long start, long end) {
        List<Change> history = new ArrayList<>();
        history.add(new Change(createdAt, item, 0, EventName.INSERT, "insert", null, initial, false));
        SplittableRandom r = new SplittableRandom(Seeds.of(config.seed(), -1 - g, Seeds.LOCATION_CHANGES + k));
        Location current = initial;
        for (long t = start + exponential(r, LOCATION_CHANGE_RATE);
                t < end;
                t += exponential(r, LOCATION_CHANGE_RATE)) {
            boolean crop = current.crop() != null && r.nextDouble() < 0.7;
            Location next;
            if (crop) {
                next = current.withCrop(other(CROPS, current.crop(), r));
            } else if (current.crop() != null) {
                String field = FIELD_NAMES[r.nextInt(FIELD_NAMES.length)];
                next = current.withName(field.equals(current.name()) ? field + " " + (history.size() + 1) : field);
            } else {
                String city = other(DEPOT_CITIES, current.name().substring("Depot ".length()), r);
                next = current.withName("Depot " + city);
            }
            history.add(new Change(
                    t, item, history.size(), EventName.MODIFY, crop ? "crop" : "name", current, next, false));
            current = next;
        }
        return history;
    }

    private static Device device(SimulateConfig config, int index, Group group, String firmware, long startDay) {
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
        String status = r.nextDouble() < 0.05 ? MAINTENANCE : ACTIVE;
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
    private static List<Change> deviceHistory(int item, Device initial, List<Op> ops, Group group) {
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
                case "status" -> current.withStatus(current.status().equals(ACTIVE) ? MAINTENANCE : ACTIVE);
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

    private static long exponential(SplittableRandom r, double perDay) {
        return 1 + (long) (-Math.log(1 - r.nextDouble()) / perDay * DAY_MS);
    }

    private static String other(String[] values, String current, SplittableRandom r) {
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
                Item state = stateAt(histories.get(item), at);
                if (state != null) {
                    devices.add((Device) state);
                }
            }
            List<Location> locations = new ArrayList<>();
            for (int item : locationsByKey) {
                Item state = stateAt(histories.get(item), at);
                if (state != null) {
                    locations.add((Location) state);
                }
            }
            out.add(new Snapshot(date, List.copyOf(devices), List.copyOf(locations)));
        }
        return out;
    }

    private static Item stateAt(List<Change> history, long at) {
        Item state = null;
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
     * ({@link Item#columns()}) differ from the open version's, and closes the open version when it
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
                Item after = null;
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
            for (Item item : concat(s)) {
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

    private static List<Item> concat(Snapshot s) {
        List<Item> all = new ArrayList<>(s.devices());
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
