package dev.sensorhouse.simulate;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A registry item's full state at one moment: a device or a location, as a snapshot row and a CDC
 * image carry it.
 */
sealed interface RegistryItem permits RegistryItem.Device, RegistryItem.Location {
    /** The natural key, e.g. {@code farm-007-probe-0123}. */
    String key();

    /** The partition key, e.g. {@code DEVICE#farm-007-probe-0123}. */
    String pk();

    /** The snapshot columns in contract order (null for an empty value): the tracked attributes. */
    List<String> columns();

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
            implements RegistryItem {
        public static final List<String> COLUMNS =
                List.of("device_id", "model", "firmware", "customer", "farm", "location_id", "installed_at", "status");

        @Override
        public String key() {
            return deviceId;
        }

        @Override
        public String pk() {
            return Registry.DEVICE_PREFIX + deviceId;
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
                    Registry.ACTIVE,
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
            implements RegistryItem {
        public static final List<String> COLUMNS =
                List.of("location_id", "name", "farm", "field", "crop", "region", "lat", "lon");

        @Override
        public String key() {
            return locationId;
        }

        @Override
        public String pk() {
            return Registry.LOCATION_PREFIX + locationId;
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
}
