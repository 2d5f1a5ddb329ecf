package dev.sensorhouse.cli;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.cleanse.CleanseLimits;
import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.zones.Lake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Options several commands share, with their defaults, and their conversion into job configs. */
final class CommonOptions {
  private CommonOptions() {}

  static final Option LAKE = Option.value("lake", "DIR|s3a://BUCKET/PREFIX", "./lake", "lake root");
  static final Option FROM = Option.value("from", "ISO", null, "window start (raw arrival hour, inclusive); with --to. Default: incremental since the last successful run");
  static final Option TO = Option.value("to", "ISO", null, "window end (exclusive); with --from. Default: incremental");
  static final Option CATALOG = Option.value("metrics-catalog", "FILE", null, "metric catalog JSON (default: schemas/contracts/metric-catalog.json, built in)");
  static final Option MAX_RECORD_BYTES = Option.value("max-record-bytes", "N", "65536", "a longer raw line is quarantined as oversized_record");
  static final Option MAX_FUTURE_SKEW = Option.value("max-future-skew", "DURATION", "5m", "an event time later than its arrival hour's end plus this is future_timestamp");
  static final Option MAX_LATENESS = Option.value("max-lateness", "DURATION", "7d", "an event time earlier than its arrival hour minus this is too_late");

  static final Option LOOKBACK = Option.value("lookback", "DURATION", "7d", "incremental runs also list this far before the bookmark, for files added to older arrival hours");

  static final List<Option> CLEANSE = List.of(LAKE, FROM, TO, LOOKBACK, CATALOG, MAX_RECORD_BYTES, MAX_FUTURE_SKEW, MAX_LATENESS);

  static final Option EVENT_FROM = Option.value("from", "ISO", null, "also recompute the event hours from this time (inclusive); with --to. Default: only the buckets new cleanse runs touched");
  static final Option EVENT_TO = Option.value("to", "ISO", null, "end of the recomputed event hours (exclusive); with --from");

  static final List<Option> ROLLUP = List.of(LAKE, EVENT_FROM, EVENT_TO);

  static RollupConfig rollupConfig(Options o) {
    try {
      return new RollupConfig(lakeRoot(o), o.instant("from"), o.instant("to"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("rollup: " + e.getMessage(), e);
    }
  }

  static CleanseConfig cleanseConfig(Options o) {
    MetricCatalog catalog;
    try {
      catalog = o.optional("metrics-catalog").map(f -> MetricCatalog.load(Path.of(f))).orElseGet(MetricCatalog::defaults);
    } catch (IllegalArgumentException e) {
      throw new UsageException("cleanse: " + e.getMessage(), e);
    }
    try {
      CleanseLimits limits = new CleanseLimits(o.integer("max-record-bytes"), o.duration("max-future-skew"), o.duration("max-lateness"));
      return new CleanseConfig(lakeRoot(o), o.instant("from"), o.instant("to"), o.duration("lookback"), catalog, limits);
    } catch (IllegalArgumentException e) {
      throw new UsageException("cleanse: " + e.getMessage(), e);
    }
  }

  /** The --lake value, normalized. */
  static String lakeRoot(Options o) {
    return Lake.normalize(o.string("lake"));
  }

  /** Checks that an existing local lake can be read; remote lakes are checked by the job itself. */
  static String existingLake(String command, Options o) {
    String root = lakeRoot(o);
    if (!root.contains("://")) {
      Path p = Path.of(root);
      if (!Files.isDirectory(p)) {
        throw new UsageException(command + ": --lake " + root + " is not a directory (run 'sensorhouse simulate --lake " + o.string("lake") + "' to create one)");
      }
      if (!Files.isReadable(p) || !Files.isExecutable(p)) {
        throw new UsageException(command + ": --lake " + root + " is not readable");
      }
    }
    return root;
  }
}
