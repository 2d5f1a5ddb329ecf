package dev.sensorhouse.dimensions;

import java.util.Optional;

/**
 * The dimensions job's configuration, parsed and validated once.
 *
 * @param lake lake root (local folder or s3a:// URI)
 * @param metadata folder of registry snapshots ({@code devices/YYYY-MM-DD.csv}, {@code
 *     locations/YYYY-MM-DD.csv}); absent: no snapshots
 * @param cdc folder of DynamoDB-stream CDC files; absent: no CDC. At least one of the two is required.
 * @param nulls what an explicit NULL in a CDC image does; default {@link NullRule#KEEP}
 */
public record DimensionsConfig(String lake, Optional<String> metadata, Optional<String> cdc, NullRule nulls) {
    public DimensionsConfig {
        if (metadata.isEmpty() && cdc.isEmpty()) {
            throw new IllegalArgumentException(
                    "give --metadata DIR (registry snapshots) or --cdc DIR (DynamoDB-stream change records), or both");
        }
    }
}
