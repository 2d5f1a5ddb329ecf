package dev.sensorhouse.dimensions;

import java.time.Instant;
import java.util.Optional;

/**
 * The dimensions job's configuration, parsed and validated once.
 *
 * @param lake lake root (local folder or s3a:// URI)
 * @param metadata folder of registry snapshots ({@code devices/YYYY-MM-DD.csv}, {@code
 *     locations/YYYY-MM-DD.csv}); absent: no snapshots
 * @param cdc folder of DynamoDB-stream CDC files; absent: no CDC. At least one of the two is required.
 * @param nulls what an explicit NULL in a CDC image does; default {@link NullRule#KEEP}
 * @param from with {@code to}: read the registry files whose instant ({@link RegistryFile#effectiveAt()}:
 *     a CDC file's arrival hour, a snapshot's date at 00:00 UTC) is in [from, to), whether or not a
 *     run read them before; both absent (the default): incremental, the files no successful run has read
 */
public record DimensionsConfig(
        String lake,
        Optional<String> metadata,
        Optional<String> cdc,
        NullRule nulls,
        Optional<Instant> from,
        Optional<Instant> to) {

    /** An incremental run: the files no successful run has read. */
    public DimensionsConfig(String lake, Optional<String> metadata, Optional<String> cdc, NullRule nulls) {
        this(lake, metadata, cdc, nulls, Optional.empty(), Optional.empty());
    }

    public DimensionsConfig {
        if (metadata.isEmpty() && cdc.isEmpty()) {
            throw new IllegalArgumentException(
                    "give --metadata DIR (registry snapshots) or --cdc DIR (DynamoDB-stream change records), or both");
        }
        if (from.isPresent() != to.isPresent()) {
            throw new IllegalArgumentException(
                    "--from and --to go together: give both to re-read a window of registry files, or neither for an incremental run");
        }
        if (from.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("--from " + from.get() + " must be before --to " + to.get());
        }
    }

    public boolean incremental() {
        return from.isEmpty();
    }
}
