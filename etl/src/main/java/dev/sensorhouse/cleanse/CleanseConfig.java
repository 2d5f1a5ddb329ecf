package dev.sensorhouse.cleanse;

import dev.sensorhouse.contract.MetricCatalog;
import java.time.Instant;
import java.util.Optional;

/**
 * The cleanse job's configuration, parsed and validated once.
 *
 * @param lake lake root (local folder or s3a:// URI)
 * @param from with {@code to}: process the raw arrival hours starting in [from, to), re-processing
 *     what was processed before; both absent: incremental, the raw files not yet cleansed
 * @param catalog the metric catalog (default: the one shipped in schemas/)
 * @param limits record size, future skew and lateness limits
 */
public record CleanseConfig(String lake, Optional<Instant> from, Optional<Instant> to, MetricCatalog catalog, CleanseLimits limits) {
  public CleanseConfig {
    if (from.isPresent() != to.isPresent()) {
      throw new IllegalArgumentException("--from and --to go together: give both for a window, or neither for an incremental run");
    }
    if (from.isPresent() && !from.get().isBefore(to.get())) {
      throw new IllegalArgumentException("--from " + from.get() + " must be before --to " + to.get());
    }
  }

  public boolean incremental() {
    return from.isEmpty();
  }
}
