package dev.sensorhouse.simulate;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A truck with a telematics box. Fifty trucks share a fleet and its depot.
 *
 * <p>Each day has 1-3 trips between 05:00 and 21:00 UTC with parking in between (speed 0, still
 * reporting). A trip is a sequence of driving phases with constant acceleration: pull away, cruise
 * (slowly varying speed), change speed, brake to a stop, wait, pull away again. About a third of
 * pull-aways from a stop are hard accelerations above 3.5 m/s², so the rapid-acceleration alert has
 * something to find. The motion is integrated exactly between phase changes, so:
 *
 * <ul>
 *   <li>speed (km/h) is continuous and never negative;
 *   <li>acceleration (m/s²) is the instantaneous longitudinal acceleration at the sample time, the
 *       derivative of the speed curve (an accelerometer reading, not Δspeed/Δinterval, which would
 *       smear hard accelerations away at long intervals);
 *   <li>odometer (km) grows by exactly the distance driven, never decreases;
 *   <li>fuel_level (%) falls with distance and idling, refuelled before a trip below 25 %;
 *   <li>engine_temp (°C) warms towards 90 °C while driving, cools to the outside air when parked;
 *   <li>the location moves along the heading while driving and steers back when far from the depot.
 * </ul>
 */
final class VehicleTracker implements DeviceModel {
    static final int TRUCKS_PER_FLEET = 50;
    private static final byte[][] FIRMWARE = {ascii("5.1.0"), ascii("5.2.3"), ascii("4.9.8")};
    private static final long DAY_MS = 86_400_000L;
    private static final long HOUR_MS = 3_600_000L;
    private static final double KM_PER_DEGREE = 111.2;

    private static final int PARKED = 0, STOPPED = 1, ACCELERATING = 2, CRUISING = 3, BRAKING = 4;

    private final SplittableRandom rng;
    private final double depotLat;
    private final double depotLon;
    private final byte[] firmware;
    private double lat;
    private double lon;
    private double heading;
    private double odometer;
    private double fuel;
    private double engineTemp;
    /** Speed in m/s and acceleration in m/s² of the current phase. */
    private double speed;

    private double acceleration;
    private double targetSpeed;
    private int phase = PARKED;
    private long phaseEnd;
    private long tripEnd;
    private long parkedUntil;
    private long now;

    /** The trip windows of {@link #planDay}: the day's trips in time order. */
    private long planDay = Long.MIN_VALUE;

    private final long[] tripStarts = new long[3];
    private final long[] tripEnds = new long[3];
    private int trips;

    VehicleTracker(long seed, int index, long start) {
        int fleet = index / TRUCKS_PER_FLEET;
        double[] depot = depotPosition(seed, fleet);
        depotLat = depot[0];
        depotLon = depot[1];
        SplittableRandom setup = new SplittableRandom(Seeds.of(seed, index, Seeds.SETUP));
        lat = depotLat + setup.nextDouble(-0.01, 0.01);
        lon = depotLon + setup.nextDouble(-0.015, 0.015);
        heading = setup.nextDouble(0, 2 * Math.PI);
        odometer = setup.nextDouble(20_000, 400_000);
        fuel = setup.nextDouble(40, 100);
        double f = setup.nextDouble();
        firmware = FIRMWARE[f < 0.5 ? 0 : f < 0.8 ? 1 : 2];
        rng = new SplittableRandom(Seeds.of(seed, index, Seeds.PHYSICS));
        now = start;
        engineTemp = ambient(start);
        parkedUntil = nextTripStart(start);
    }

    /** The main depot of fleet {@code fleet} (0-based), {lat, lon}: the registry's first depot location. */
    static double[] depotPosition(long seed, int fleet) {
        SplittableRandom fleetRng = new SplittableRandom(Seeds.of(seed, -1 - fleet, Seeds.SETUP));
        double lat = 51.0 + fleetRng.nextDouble() * 2.3;
        double lon = 3.8 + fleetRng.nextDouble() * 3.2;
        return new double[] {lat, lon};
    }

    static String deviceId(int index) {
        StringBuilder b = new StringBuilder(24).append("fleet-");
        AgricultureProbe.pad(b, index / TRUCKS_PER_FLEET + 1, 2).append("-truck-");
        return AgricultureProbe.pad(b, index + 1, 4).toString();
    }

    @Override
    public byte[] firmware() {
        return firmware;
    }

    @Override
    public void sample(long t, RawEvent out) {
        advanceTo(t);
        boolean moving = phase != PARKED && phase != STOPPED;
        out.values[0] = Math.max(0, speed * 3.6);
        out.values[1] = moving ? acceleration : 0;
        out.values[2] = fuel;
        out.values[3] = odometer;
        out.values[4] = DeviceModel.clamp(engineTemp + rng.nextGaussian() * 0.2, -45, 130);
        out.batteryV = (phase == PARKED ? 12.6 : 14.1) + rng.nextGaussian() * 0.04;
        out.lat = lat + (phase == PARKED ? rng.nextGaussian() * 0.00001 : 0);
        out.lon = lon + (phase == PARKED ? rng.nextGaussian() * 0.00001 : 0);
    }

    /** Integrates the motion up to {@code t}, switching phases and trips at their exact times. */
    private void advanceTo(long t) {
        while (now < t) {
            if (phase == PARKED) {
                long until = Math.min(t, parkedUntil);
                park(until - now);
                now = until;
                if (now == parkedUntil) {
                    startTrip();
                }
            } else if (now >= phaseEnd) {
                nextPhase();
            } else {
                long until = Math.min(t, phaseEnd);
                drive(until - now);
                now = until;
            }
        }
    }

    private void startTrip() {
        tripEnd = tripEndOf(now);
        if (fuel < 25) {
            fuel = rng.nextDouble(92, 100);
        }
        heading += rng.nextGaussian() * 1.0;
        stop(20_000, 90_000);
    }

    private void nextPhase() {
        switch (phase) {
            case STOPPED -> {
                if (now >= tripEnd) {
                    phase = PARKED;
                    parkedUntil = nextTripStart(now);
                } else {
                    steer();
                    accelerate(cruiseSpeed(), 0.35);
                }
            }
            case ACCELERATING -> {
                speed = targetSpeed;
                cruise();
            }
            case BRAKING -> {
                speed = targetSpeed;
                if (speed == 0) {
                    stop(10_000, 60_000);
                } else {
                    cruise();
                }
            }
            default -> { // CRUISING
                double r = rng.nextDouble();
                if (now >= tripEnd || r < 0.3) {
                    brake(0, 0.05);
                } else if (r < 0.55) {
                    double target = cruiseSpeed();
                    if (target > speed) {
                        accelerate(target, 0.15);
                    } else {
                        brake(target, 0.02);
                    }
                } else {
                    steer();
                    cruise();
                }
            }
        }
    }

    private void stop(long minMs, long maxMs) {
        phase = STOPPED;
        speed = 0;
        acceleration = 0;
        phaseEnd = now + rng.nextLong(minMs, maxMs);
    }

    private void accelerate(double target, double hardProbability) {
        phase = ACCELERATING;
        acceleration = rng.nextDouble() < hardProbability ? rng.nextDouble(3.6, 4.6) : rng.nextDouble(0.4, 1.3);
        targetSpeed = target;
        phaseEnd = now + Math.max(1, Math.round((target - speed) / acceleration * 1000));
    }

    private void brake(double target, double hardProbability) {
        phase = BRAKING;
        acceleration = -(rng.nextDouble() < hardProbability ? rng.nextDouble(4.0, 6.0) : rng.nextDouble(0.6, 2.2));
        targetSpeed = target;
        phaseEnd = now + Math.max(1, Math.round((speed - target) / -acceleration * 1000));
    }

    /** Holds roughly the current speed for 20 s to 3 min, drifting up to 8 % towards a new speed. */
    private void cruise() {
        phase = CRUISING;
        long duration = rng.nextLong(20_000, 180_000);
        targetSpeed = DeviceModel.clamp(speed * (1 + rng.nextDouble(-0.08, 0.08)), 8 / 3.6, 92 / 3.6);
        acceleration = (targetSpeed - speed) / (duration / 1000.0);
        phaseEnd = now + duration;
    }

    /** A road's speed in m/s: town 30-50 km/h, regional 60-80, motorway 80-90 (trucks are limited). */
    private double cruiseSpeed() {
        double r = rng.nextDouble();
        double kmh = r < 0.4 ? rng.nextDouble(30, 50) : r < 0.75 ? rng.nextDouble(60, 80) : rng.nextDouble(80, 90);
        return kmh / 3.6;
    }

    private void steer() {
        double distanceKm = Math.hypot(
                (depotLat - lat) * KM_PER_DEGREE, (depotLon - lon) * KM_PER_DEGREE * Math.cos(Math.toRadians(lat)));
        if (distanceKm > 60) {
            heading = Math.atan2((depotLon - lon) * Math.cos(Math.toRadians(lat)), depotLat - lat)
                    + rng.nextGaussian() * 0.2;
        } else {
            heading += rng.nextGaussian() * 0.35;
        }
    }

    private void drive(long ms) {
        double dt = ms / 1000.0;
        double meters = Math.max(0, speed * dt + 0.5 * acceleration * dt * dt);
        speed = Math.max(0, speed + acceleration * dt);
        double km = meters / 1000;
        odometer += km;
        fuel = Math.max(0.5, fuel - km * 0.07 - dt / 3600 * 0.3);
        lat += km * Math.cos(heading) / KM_PER_DEGREE;
        lon += km * Math.sin(heading) / (KM_PER_DEGREE * Math.cos(Math.toRadians(lat)));
        engineTemp = 90 + (engineTemp - 90) * Math.exp(-dt / 480);
    }

    private void park(long ms) {
        double air = ambient(now);
        engineTemp = air + (engineTemp - air) * Math.exp(-ms / 2_700_000.0);
    }

    private static double ambient(long t) {
        double solarHour = Math.floorMod(t, DAY_MS) / (double) HOUR_MS + 0.35;
        return DeviceModel.seasonalMean(DeviceModel.season(t)) + 4 * Math.cos(2 * Math.PI * (solarHour - 15) / 24);
    }

    /** The start of the first planned trip at or after {@code from}, looking into later days. */
    private long nextTripStart(long from) {
        for (long day = Math.floorDiv(from, DAY_MS); ; day++) {
            plan(day);
            for (int i = 0; i < trips; i++) {
                if (tripStarts[i] >= from) {
                    return tripStarts[i];
                }
            }
        }
    }

    private long tripEndOf(long tripStart) {
        plan(Math.floorDiv(tripStart, DAY_MS));
        for (int i = 0; i < trips; i++) {
            if (tripStarts[i] == tripStart) {
                return tripEnds[i];
            }
        }
        throw new IllegalStateException("no trip starts at " + tripStart);
    }

    /** Plans 1-3 trips of 20 min to 3 h for {@code day}, once per day (days are planned in order). */
    private void plan(long day) {
        if (day == planDay) {
            return;
        }
        planDay = day;
        trips = 1 + rng.nextInt(3);
        long slot = 16 * HOUR_MS / trips;
        for (int i = 0; i < trips; i++) {
            long start = day * DAY_MS + 5 * HOUR_MS + i * slot + (long) (rng.nextDouble() * 0.3 * slot);
            long length = (long) (Math.min(3 * HOUR_MS, 0.55 * slot) * rng.nextDouble(0.35, 1.0));
            tripStarts[i] = start;
            tripEnds[i] = start + Math.max(20 * 60_000L, length);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
