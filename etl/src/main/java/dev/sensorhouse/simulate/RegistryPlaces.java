package dev.sensorhouse.simulate;

import dev.sensorhouse.simulate.Registry.Change;
import dev.sensorhouse.simulate.Registry.EventName;
import dev.sensorhouse.simulate.RegistryItem.Location;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The farms and fleets of the simulated registry: each group's customer and 2-4 locations (fields
 * with a crop, or depots), and the locations' own changes (crop or name, 0.05 per location and day).
 * Derived from the seed; see {@link Registry} for the model.
 */
final class RegistryPlaces {
    private static final long DAY_MS = 86_400_000L;

    /** Crop or name changes per location and day. */
    private static final double LOCATION_CHANGE_RATE = 0.05;

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

    /** Everything about one farm or fleet the registry needs. */
    record Group(String farm, String customer, List<Location> locations) {}

    private RegistryPlaces() {}

    /** When every location was created: 1 January (UTC) two years before the start's year. */
    static long locationsSince(SimulateConfig config) {
        int year = LocalDate.ofInstant(config.start(), ZoneOffset.UTC).getYear();
        return LocalDate.of(year - 2, 1, 1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .toEpochMilli();
    }

    static Group group(SimulateConfig config, int g) {
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

    static List<Change> locationHistory(
            SimulateConfig config, int item, int g, int k, Location initial, long createdAt, long start, long end) {
        List<Change> history = new ArrayList<>();
        history.add(new Change(createdAt, item, 0, EventName.INSERT, "insert", null, initial, false));
        SplittableRandom r = new SplittableRandom(Seeds.of(config.seed(), -1 - g, Seeds.LOCATION_CHANGES + k));
        Location current = initial;
        for (long t = start + RegistryBuilder.exponential(r, LOCATION_CHANGE_RATE);
                t < end;
                t += RegistryBuilder.exponential(r, LOCATION_CHANGE_RATE)) {
            boolean crop = current.crop() != null && r.nextDouble() < 0.7;
            Location next;
            if (crop) {
                next = current.withCrop(RegistryBuilder.other(CROPS, current.crop(), r));
            } else if (current.crop() != null) {
                String field = FIELD_NAMES[r.nextInt(FIELD_NAMES.length)];
                next = current.withName(field.equals(current.name()) ? field + " " + (history.size() + 1) : field);
            } else {
                String city = RegistryBuilder.other(DEPOT_CITIES, current.name().substring("Depot ".length()), r);
                next = current.withName("Depot " + city);
            }
            history.add(new Change(
                    t, item, history.size(), EventName.MODIFY, crop ? "crop" : "name", current, next, false));
            current = next;
        }
        return history;
    }
}
