package dev.sensorhouse.simulate;

import java.nio.charset.StandardCharsets;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A contiguous range of devices simulated by one thread at a time. For each event-time hour it
 * generates the devices' events in time order, decides each event's delivery (timestamp form,
 * arrival delay) and fault, writes the JSON line and files it under its arrival hour and file index.
 * It also keeps the tallies the {@link InjectionReport} is built from.
 *
 * <p>The devices follow the {@link Registry} ({@link #follow}): from a firmware update on a device
 * reports its new firmware, and a retired device sends nothing from its retirement on.
 *
 * <p>Every random choice comes from one of three streams per device (physics in the {@link
 * DeviceModel}, delivery, faults), so the output is independent of the thread that runs the shard,
 * and a run without faults has the same readings, ids and timestamps as a run with them.
 */
final class Shard {
    static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;
    private static final long MAX_DELIVERY_DELAY_MS = 20_000;
    private static final int[] OFFSETS_MINUTES = {60, 120, -300, 330, 540, -210, -480, 600};
    private static final String[] UNKNOWN_METRICS = {"co2_ppmx", "vibration_z", "leaf_wetness_raw", "pm25_ugm3x"};
    private static final String[] BAD_UNITS = {"furlongs", "parsecs", "cubits", "fortnights"};
    private static final String[] BAD_TIMESTAMP_WORDS = {"yesterday", "now", "tomorrow 09:00"};
    private static final FaultKind[] KINDS = FaultKind.values();

    private final MetricSet set;
    private final long interval;
    private final long end;
    private final int filesPerHour;
    /** Cumulative fault rates in {@link #KINDS} order, for one uniform draw per event. */
    private final double[] cumulativeRates = new double[KINDS.length];

    private final int first;
    private final DeviceModel[] models;
    private final byte[][] ids;
    private final byte[][] firmware;
    private final SplittableRandom[] delivery;
    private final SplittableRandom[] chaos;
    private final long[] next;
    private final long[] seq;
    private final int[] file;
    /** The registry's effect on the events: retirement (no events from then on) and firmware updates. */
    private final long[] retiredAt;

    private final Registry.Firmware[] updates;
    private final long[] nextUpdate;
    private final int[] updatesDone;

    private final RawEvent event;
    private final LineBuilder line = new LineBuilder(1024);
    private final TreeMap<Long, LineBuffer[]> pending = new TreeMap<>();
    private long generating;
    private long cachedHour = Long.MIN_VALUE;
    private LineBuffer[] cachedBuffers;

    /** Tallies: events generated, lines written, faults by kind, readings that survive cleansing. */
    final long[] faults = new long[KINDS.length];

    long events;
    long lines;
    long readingsCleansed;

    private final LineBuffer.Pool pool;

    Shard(SimulateConfig config, int first, int count, LineBuffer.Pool pool) {
        this.pool = pool;
        this.set = MetricSet.of(config.profile());
        this.interval = config.interval().toMillis();
        long start = config.start().toEpochMilli();
        this.end = start + config.duration().toMillis();
        this.filesPerHour = config.filesPerHour();
        double sum = 0;
        for (int k = 0; k < KINDS.length; k++) {
            sum += KINDS[k].rate(config.faults());
            cumulativeRates[k] = sum;
        }
        this.first = first;
        models = new DeviceModel[count];
        ids = new byte[count][];
        firmware = new byte[count][];
        delivery = new SplittableRandom[count];
        chaos = new SplittableRandom[count];
        next = new long[count];
        seq = new long[count];
        file = new int[count];
        retiredAt = new long[count];
        updates = new Registry.Firmware[count];
        nextUpdate = new long[count];
        updatesDone = new int[count];
        java.util.Arrays.fill(retiredAt, Long.MAX_VALUE);
        java.util.Arrays.fill(nextUpdate, Long.MAX_VALUE);
        long seed = config.seed();
        for (int d = 0; d < count; d++) {
            int index = first + d;
            models[d] = DeviceModel.create(config.profile(), seed, index, start);
            ids[d] = DeviceModel.deviceId(config.profile(), index).getBytes(StandardCharsets.US_ASCII);
            firmware[d] = models[d].firmware();
            delivery[d] = new SplittableRandom(Seeds.of(seed, index, Seeds.DELIVERY));
            chaos[d] = new SplittableRandom(Seeds.of(seed, index, Seeds.FAULTS));
            file[d] = (int) Math.floorMod(Seeds.of(seed, index, 0x46494c45L), (long) filesPerHour);
            // First reading at a device-specific phase of the interval; a fifth of the devices have
            // millisecond clocks, the rest report on whole seconds (when the interval allows).
            SplittableRandom setup = new SplittableRandom(Seeds.of(seed, index, Seeds.DELIVERY + 100));
            long phase = interval >= 1000 ? setup.nextLong(interval / 1000) * 1000 : 0;
            if (setup.nextDouble() < 0.2 || interval < 1000) {
                phase += setup.nextLong(Math.min(1000, interval));
            }
            next[d] = start + Math.min(phase, interval - 1);
            seq[d] = setup.nextLong(1, 50_000);
        }
        event = new RawEvent(set.size());
    }

    /** The firmware device {@code index} (one of this shard's) reports at the start; call before generating. */
    byte[] firmware(int index) {
        return firmware[index - first];
    }

    /** Makes the events follow {@code registry}: firmware updates, and silence after retirement. */
    void follow(Registry registry) {
        for (int d = 0; d < models.length; d++) {
            retiredAt[d] = registry.retiredAt(first + d);
            updates[d] = registry.firmware(first + d);
            nextUpdate[d] = updates[d] == null ? Long.MAX_VALUE : updates[d].times()[0];
        }
    }

    /** Generates every event with an event time before {@code until}, in time order per device. */
    void generate(long until) {
        generating = until - HOUR_MS;
        long upTo = Math.min(until, end);
        for (int d = 0; d < models.length; d++) {
            long t = next[d];
            long limit = Math.min(upTo, retiredAt[d]);
            for (; t < limit; t += interval) {
                emit(d, t);
            }
            next[d] = t;
        }
    }

    /** Removes and returns the buffers of arrival hours up to and including {@code hour}. */
    NavigableMap<Long, LineBuffer[]> takeUpTo(long hour) {
        NavigableMap<Long, LineBuffer[]> head = pending.headMap(hour, true);
        TreeMap<Long, LineBuffer[]> taken = new TreeMap<>(head);
        head.clear();
        cachedHour = Long.MIN_VALUE;
        cachedBuffers = null;
        return taken;
    }

    private void emit(int d, long t) {
        RawEvent e = event;
        models[d].sample(t, e);
        e.deviceIndex = first + d;
        e.deviceId = ids[d];
        if (t >= nextUpdate[d]) {
            Registry.Firmware u = updates[d];
            int done = updatesDone[d];
            while (done < u.times().length && u.times()[done] <= t) {
                firmware[d] = u.versions()[done++];
            }
            updatesDone[d] = done;
            nextUpdate[d] = done < u.times().length ? u.times()[done] : Long.MAX_VALUE;
        }
        e.firmware = firmware[d];
        e.seq = seq[d]++;
        e.ts = t;

        SplittableRandom rd = delivery[d];
        e.idHi = (rd.nextLong() & ~0xF000L) | 0x4000L; // UUID version 4
        e.idLo = (rd.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
        double form = rd.nextDouble();
        e.tsForm = form < 0.8 ? RawEvent.TS_ISO_Z : form < 0.9 ? RawEvent.TS_ISO_OFFSET : RawEvent.TS_EPOCH_MILLIS;
        e.offsetMinutes = e.tsForm == RawEvent.TS_ISO_OFFSET ? OFFSETS_MINUTES[rd.nextInt(OFFSETS_MINUTES.length)] : 0;
        long arrival = t + rd.nextLong(MAX_DELIVERY_DELAY_MS + 1);

        e.clearFault();
        SplittableRandom rc = chaos[d];
        FaultKind kind = pick(rc.nextDouble());
        if (kind == FaultKind.LATE) {
            // 2 to 70 hours after the event's hour: between 1 h and 72 h after the event time, and the
            // event time is always more than an hour before the start of its arrival hour.
            arrival = floorHour(t) + (2 + rc.nextInt(69)) * HOUR_MS + rc.nextLong(HOUR_MS);
        }
        long arrivalHour = floorHour(arrival);
        if (kind != null) {
            inject(kind, e, rc, arrivalHour);
            faults[kind.ordinal()]++;
        }

        line.clear();
        EventJson.write(line, e, set);
        buffer(arrivalHour, d).add(line.bytes, line.length, (int) (arrival - arrivalHour));
        events++;
        lines++;
        if (kind == FaultKind.DUPLICATE) {
            // The same bytes again: half within the same arrival hour, half 1 to 6 hours later.
            long again = rc.nextBoolean()
                    ? arrival + rc.nextLong(arrivalHour + HOUR_MS - arrival)
                    : arrival + HOUR_MS + rc.nextLong(5 * HOUR_MS);
            long againHour = floorHour(again);
            buffer(againHour, d).add(line.bytes, line.length, (int) (again - againHour));
            lines++;
        }
        if (kind == null || kind.outcome() != FaultKind.Outcome.LINE_QUARANTINED) {
            boolean readingLost = kind == FaultKind.INVALID_UNIT || kind == FaultKind.OUT_OF_RANGE;
            readingsCleansed += set.size() - (readingLost ? 1 : 0);
        }
    }

    private FaultKind pick(double u) {
        if (u >= cumulativeRates[KINDS.length - 1]) {
            return null;
        }
        for (int k = 0; k < KINDS.length; k++) {
            if (u < cumulativeRates[k]) {
                return KINDS[k];
            }
        }
        return null;
    }

    /** Turns {@code e} into an event with fault {@code kind} and nothing else wrong with it. */
    private void inject(FaultKind kind, RawEvent e, SplittableRandom r, long arrivalHour) {
        e.fault = kind;
        switch (kind) {
            case OVERSIZED_RECORD -> e.padding = 70_000 + r.nextInt(30_000);
            case MALFORMED_JSON -> {
                e.variant = r.nextInt(EventJson.MALFORMED_VARIANTS);
                e.number = r.nextDouble();
            }
            case MISSING_FIELD -> e.variant = r.nextInt(EventJson.MISSING_VARIANTS);
            case INVALID_TYPE -> {
                e.variant = r.nextInt(EventJson.TYPE_VARIANTS);
                e.metric = r.nextInt(set.size());
            }
            case INVALID_DEVICE_ID -> {
                e.variant = r.nextInt(4);
                e.text = invalidDeviceId(new String(e.deviceId, StandardCharsets.US_ASCII), e.variant);
            }
            case INVALID_TIMESTAMP -> {
                e.variant = r.nextInt(3);
                e.text = invalidTimestamp(e.ts, e.variant, r);
            }
            case FUTURE_TIMESTAMP ->
                e.ts = arrivalHour + 2 * HOUR_MS + r.nextLong(400 * DAY_MS - 2 * HOUR_MS) / 1000 * 1000;
            case TOO_LATE -> e.ts = arrivalHour - 10 * DAY_MS - r.nextLong(80 * DAY_MS) / 1000 * 1000;
            case UNKNOWN_METRIC -> {
                e.text = UNKNOWN_METRICS[r.nextInt(UNKNOWN_METRICS.length)];
                e.number = r.nextDouble(0.5, 900);
            }
            case INVALID_UNIT -> {
                e.metric = r.nextInt(set.size());
                e.text = BAD_UNITS[r.nextInt(BAD_UNITS.length)];
            }
            case OUT_OF_RANGE -> {
                int m = r.nextInt(set.size());
                double span = set.max[m] - set.min[m];
                e.metric = m;
                e.values[m] = r.nextDouble() < 0.75
                        ? set.max[m] + span * r.nextDouble(0.5, 5)
                        : set.min[m] - span * r.nextDouble(0.2, 2);
            }
            case FAHRENHEIT -> {
                int m = set.fahrenheitMetric;
                e.metric = m;
                e.values[m] = e.values[m] * 1.8 + 32;
                e.text = "fahrenheit";
            }
            default -> {
                // DUPLICATE and LATE change the delivery, not the line.
            }
        }
    }

    /** A device id breaking ^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$ in one of four ways. */
    static String invalidDeviceId(String id, int variant) {
        return switch (variant) {
            case 0 -> id.replace('-', ' ');
            case 1 -> "-" + id;
            case 2 -> (id + "-" + "x".repeat(70)).substring(0, 70);
            default -> {
                int second = id.indexOf('-', id.indexOf('-') + 1);
                yield id.substring(0, second) + "/" + id.substring(second + 1);
            }
        };
    }

    private static String invalidTimestamp(long ts, int variant, SplittableRandom r) {
        LineBuilder b = new LineBuilder(32);
        return switch (variant) {
            case 0 -> BAD_TIMESTAMP_WORDS[r.nextInt(BAD_TIMESTAMP_WORDS.length)];
            case 1 -> b.appendLocalDateTime(ts, 0).toString().substring(0, 4) + "-13-45T99:00:00Z";
            default -> b.appendLocalDateTime(ts, 0).toString(); // ISO without an offset
        };
    }

    private LineBuffer buffer(long arrivalHour, int d) {
        LineBuffer[] files;
        if (arrivalHour == cachedHour) {
            files = cachedBuffers;
        } else {
            files = pending.computeIfAbsent(arrivalHour, h -> new LineBuffer[filesPerHour]);
            cachedHour = arrivalHour;
            cachedBuffers = files;
        }
        int f = file[d];
        LineBuffer b = files[f];
        if (b == null) {
            // The hour being generated and the next get big reusable buffers; the few late events and
            // delayed duplicates of later hours get small ones.
            b = files[f] = arrivalHour <= generating + HOUR_MS ? pool.take() : new LineBuffer(1 << 12, 1 << 4);
        }
        return b;
    }

    static long floorHour(long epochMillis) {
        return Math.floorDiv(epochMillis, HOUR_MS) * HOUR_MS;
    }
}
