package dev.sensorhouse.zones;

import java.io.Serializable;
import java.time.Instant;

/**
 * One raw file: its path relative to the lake root (the form stored in {@code source_file}), the
 * arrival hour of its partition, and its size in bytes.
 */
public record RawFile(String path, Instant arrivalHour, long bytes) implements Serializable, Comparable<RawFile> {
    @Override
    public int compareTo(RawFile other) {
        int byHour = arrivalHour.compareTo(other.arrivalHour);
        return byHour != 0 ? byHour : path.compareTo(other.path);
    }
}
