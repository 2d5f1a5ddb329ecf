package dev.sensorhouse.simulate;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A soil probe on a farm in the Netherlands. Twenty probes share a farm: its location, its climate
 * offset and its irrigation days.
 *
 * <ul>
 *   <li>temperature (°C): seasonal mean plus a daily sinusoid peaking at 15:00 solar time, a
 *       per-probe offset, a slow mean-reverting drift and small noise;
 *   <li>humidity (%): anti-correlated with the daily temperature swing;
 *   <li>soil_moisture (%): dries slowly (faster in sunlight), jumps when the farm irrigates;
 *   <li>light (lux): a bell curve between sunrise and sunset scaled by season and cloud cover, 0 at
 *       night;
 *   <li>battery (V): slow discharge, solar recharge by day, capped at 4.18 V.
 * </ul>
 *
 * All values stay inside the catalog ranges by construction and by clamping.
 */
final class AgricultureProbe implements DeviceModel {
    static final int PROBES_PER_FARM = 20;
    private static final byte[][] FIRMWARE = {ascii("2.4.1"), ascii("2.5.0"), ascii("2.3.7")};
    private static final double HOUR_MS = 3_600_000.0;
    private static final long DAY_MS = 86_400_000L;

    private final SplittableRandom rng;
    private final long farmSeed;
    private final double lat;
    private final double lon;
    private final double meanOffset;
    private final double amplitude;
    private final double humidityBase;
    private final byte[] firmware;
    private double drift;
    private double soil;
    private double battery;
    private double cloud;
    private long last = Long.MIN_VALUE;

    AgricultureProbe(long seed, int index) {
        int farm = index / PROBES_PER_FARM;
        farmSeed = Seeds.of(seed, -1 - farm, Seeds.SETUP);
        SplittableRandom farmRng = new SplittableRandom(farmSeed);
        double[] farmPosition = farmPosition(farmRng);
        double farmLat = farmPosition[0];
        double farmLon = farmPosition[1];
        double farmClimate = farmRng.nextDouble(-1.0, 1.0);
        SplittableRandom setup = new SplittableRandom(Seeds.of(seed, index, Seeds.SETUP));
        lat = farmLat + setup.nextDouble(-0.006, 0.006);
        lon = farmLon + setup.nextDouble(-0.009, 0.009);
        meanOffset = farmClimate + setup.nextDouble(-0.8, 0.8);
        amplitude = setup.nextDouble(0.85, 1.15);
        humidityBase = setup.nextDouble(72, 84);
        double f = setup.nextDouble();
        firmware = FIRMWARE[f < 0.6 ? 0 : f < 0.85 ? 1 : 2];
        soil = setup.nextDouble(22, 45);
        battery = setup.nextDouble(3.65, 4.15);
        cloud = setup.nextDouble(0.3, 1.0);
        rng = new SplittableRandom(Seeds.of(seed, index, Seeds.PHYSICS));
    }

    /** The centre of farm {@code farm} (0-based), {lat, lon}: the registry places its fields around it. */
    static double[] farmPosition(long seed, int farm) {
        return farmPosition(new SplittableRandom(Seeds.of(seed, -1 - farm, Seeds.SETUP)));
    }

    /** The first two draws of a farm's stream. */
    private static double[] farmPosition(SplittableRandom farmRng) {
        double lat = 51.4 + farmRng.nextDouble() * 1.8;
        double lon = 4.2 + farmRng.nextDouble() * 2.7;
        return new double[] {lat, lon};
    }

    static String deviceId(int index) {
        StringBuilder b = new StringBuilder(24).append("farm-");
        pad(b, index / PROBES_PER_FARM + 1, 3).append("-probe-");
        return pad(b, index + 1, 4).toString();
    }

    static StringBuilder pad(StringBuilder b, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    @Override
    public byte[] firmware() {
        return firmware;
    }

    @Override
    public void sample(long t, RawEvent out) {
        double dtH = last == Long.MIN_VALUE ? 0 : (t - last) / HOUR_MS;
        double season = DeviceModel.season(t);
        double solarHour = ((Math.floorMod(t, DAY_MS) / HOUR_MS) + lon / 15 + 24) % 24;
        double yearly = Math.sin(season - 2 * Math.PI * 80 / 365); // -1 at the winter solstice, +1 in June

        // Weather: cloud cover and a slow temperature drift, both mean-reverting random walks.
        double root = Math.sqrt(dtH);
        cloud = DeviceModel.clamp(
                cloud + (0.65 - cloud) * (1 - Math.exp(-dtH / 24)) + rng.nextGaussian() * 0.12 * root, 0.1, 1.0);
        drift = drift * Math.exp(-dtH / 36) + rng.nextGaussian() * 0.3 * root;

        double mean = DeviceModel.seasonalMean(season) + meanOffset;
        double swing = amplitude * (4.0 + 1.5 * yearly) * Math.cos(2 * Math.PI * (solarHour - 15) / 24);
        double temperature = DeviceModel.clamp(mean + swing + drift + rng.nextGaussian() * 0.12, -45, 65);
        double humidity =
                DeviceModel.clamp(humidityBase - 2.2 * swing + 6 * (cloud - 0.65) + rng.nextGaussian() * 0.8, 12, 99.5);

        double dayLength = 12 + 4.2 * yearly;
        double sunrise = 12 - dayLength / 2;
        double light = 0;
        if (solarHour > sunrise && solarHour < sunrise + dayLength) {
            double x = (solarHour - sunrise) / dayLength;
            double peak = 55_000 + 40_000 * yearly;
            light = DeviceModel.clamp(
                    peak * cloud * Math.pow(Math.sin(Math.PI * x), 1.5) * (1 + rng.nextGaussian() * 0.03), 0, 150_000);
        }

        soil -= dtH * (0.03 + 0.06 * light / 60_000);
        if (last != Long.MIN_VALUE) {
            soil += irrigation(last, t);
        }
        soil = DeviceModel.clamp(soil, 4, 70);
        battery = DeviceModel.clamp(battery + dtH * (-0.0025 + 1.0e-6 * light), 3.05, 4.18);
        last = t;

        out.values[0] = temperature;
        out.values[1] = humidity;
        out.values[2] = DeviceModel.clamp(soil + rng.nextGaussian() * 0.1, 2, 98);
        out.values[3] = light;
        out.values[4] = DeviceModel.clamp(battery + rng.nextGaussian() * 0.004, 3.0, 4.2);
        out.batteryV = out.values[4];
        out.lat = lat + rng.nextGaussian() * 0.00001;
        out.lon = lon + rng.nextGaussian() * 0.00001;
    }

    /**
     * Water added between {@code from} (exclusive) and {@code to} (inclusive). A farm irrigates on
     * about 40 % of days at a fixed early-morning time derived from the farm's seed, so all probes of a
     * farm see the jump at once (a shared fact that needs no shared state).
     */
    private double irrigation(long from, long to) {
        double water = 0;
        long lastDay = Math.floorDiv(to, DAY_MS);
        for (long day = Math.max(Math.floorDiv(from, DAY_MS), lastDay - 400); day <= lastDay; day++) {
            long h = Seeds.of(farmSeed, day, 0);
            if (Math.floorMod(h, 100) < 40) {
                long at = day * DAY_MS + 5 * 3_600_000L + Math.floorMod(h >>> 8, 4 * 3_600_000L);
                if (at > from && at <= to) {
                    water += 12 + 10 * rng.nextDouble();
                }
            }
        }
        return water;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
