package dev.sensorhouse.cli;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.dimensions.DimensionsConfig;
import dev.sensorhouse.dimensions.NullRule;
import dev.sensorhouse.events.EventLimits;
import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.zones.Lake;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Options several commands share, with their defaults, and their conversion into job configs. */
final class CommonOptions {
    private CommonOptions() {}

    static final Option LAKE = Option.value(
            "lake",
            "DIR|s3://BUCKET/PREFIX",
            "./lake",
            "lake root: a folder, or s3://BUCKET/PREFIX (s3a:// alike; credentials from the AWS default chain)");
    static final Option FROM = Option.value(
            "from",
            "ISO",
            null,
            "window start (raw arrival hour, inclusive); with --to. Default: incremental since the last successful run");
    static final Option TO =
            Option.value("to", "ISO", null, "window end (exclusive); with --from. Default: incremental");
    static final Option CATALOG = Option.value(
            "metrics-catalog",
            "FILE",
            null,
            "metric catalog JSON (default: schemas/contracts/metric-catalog.json, built in)");
    static final Option MAX_RECORD_BYTES = Option.value(
            "max-record-bytes",
            "N",
            "65536",
            "a longer raw record is quarantined as oversized_record (its first N bytes kept)");
    static final Option MAX_FUTURE_SKEW = Option.value(
            "max-future-skew",
            "DURATION",
            "5m",
            "an event time later than its arrival hour's end plus this is future_timestamp");
    static final Option MAX_LATENESS = Option.value(
            "max-lateness", "DURATION", "7d", "an event time earlier than its arrival hour minus this is too_late");

    static final Option LOCK_WAIT = Option.value(
            "lock-wait",
            "DURATION",
            "10m",
            "how long to wait for another job that holds the lake's writer lock before failing (0s: fail at once)");

    static final Option LOOKBACK = Option.value(
            "lookback",
            "DURATION",
            "7d",
            "incremental runs also list this far before the bookmark, for files added to older arrival hours;"
                    + " new files older than that are reported, not read");

    static final List<Option> CLEANSE =
            List.of(LAKE, FROM, TO, LOOKBACK, CATALOG, MAX_RECORD_BYTES, MAX_FUTURE_SKEW, MAX_LATENESS, LOCK_WAIT);

    static final Option EVENT_FROM = Option.value(
            "from",
            "ISO",
            null,
            "also recompute the event hours from this time (inclusive); with --to. Default: only the buckets new cleanse runs touched");
    static final Option EVENT_TO =
            Option.value("to", "ISO", null, "end of the recomputed event hours (exclusive); with --from");

    static final List<Option> ROLLUP = List.of(LAKE, EVENT_FROM, EVENT_TO, LOCK_WAIT);

    static final Option METADATA = Option.value(
            "metadata",
            "DIR",
            null,
            "registry snapshots: DIR/devices/YYYY-MM-DD.csv and DIR/locations/YYYY-MM-DD.csv (or .jsonl, optionally .gz)");
    static final Option CDC = Option.value(
            "cdc",
            "DIR",
            null,
            "DynamoDB-stream change records (JSON lines, as delivered through Kinesis), every .json/.jsonl/.gz file below DIR");
    static final Option CDC_NULLS = Option.value(
            "cdc-nulls",
            "keep|clear",
            "keep",
            "an explicit NULL in a later CDC image keeps the previous value (keep) or clears it (clear)");

    static final Option REGISTRY_FROM = Option.value(
            "from",
            "ISO",
            null,
            "re-read the registry files of a window: CDC files of the arrival hours, snapshots of the dates (00:00 UTC) in [from, to); with --to. Default: the files no successful run has read");
    static final Option REGISTRY_TO = Option.value("to", "ISO", null, "window end (exclusive); with --from");

    static final List<Option> DIMENSIONS =
            List.of(LAKE, METADATA, CDC, CDC_NULLS, REGISTRY_FROM, REGISTRY_TO, LOCK_WAIT);

    static final Option RUN_METADATA = Option.value(
            "metadata",
            "DIR",
            null,
            "registry snapshots for the dimensions stage (default: LAKE/raw/registry when it exists)");
    static final Option RUN_CDC = Option.value(
            "cdc", "DIR", null, "CDC files for the dimensions stage (default: LAKE/raw/registry_cdc when it exists)");

    static final Option WAREHOUSE = Option.value(
            "warehouse",
            "URL|FILE",
            null,
            "jdbc:redshift://HOST:PORT/DB, jdbc:postgresql://HOST:PORT/DB, jdbc:duckdb:FILE or a DuckDB file (default: LAKE/warehouse.duckdb for a folder lake; required for an S3 lake, where a DuckDB file cannot live)");
    static final Option DIALECT = Option.value(
            "dialect",
            "NAME",
            null,
            "redshift, postgres or duckdb (default: from the URL; a PostgreSQL server behind the Redshift driver is postgres)");
    static final Option STAGING = Option.value(
            "staging",
            "URI",
            null,
            "staging files: s3://BUCKET/PREFIX for Redshift (required); a folder for DuckDB (default: the DuckDB file's path + .staging)");
    static final Option IAM_ROLE = Option.value(
            "iam-role",
            "ARN",
            null,
            "IAM role Redshift's COPY assumes (default: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY from the environment)");
    static final Option PASSWORD_SECRET = Option.value(
            "password-secret",
            "ID",
            null,
            "AWS Secrets Manager secret holding the password (default: "
                    + dev.sensorhouse.warehouse.WarehouseTarget.PASSWORD_ENV + " from the environment)");

    static final List<Option> LOAD_WAREHOUSE =
            List.of(LAKE, WAREHOUSE, DIALECT, STAGING, IAM_ROLE, PASSWORD_SECRET, CATALOG);

    static final List<Option> RUN = java.util.stream.Stream.concat(
                    CLEANSE.stream(),
                    java.util.stream.Stream.of(
                            RUN_METADATA, RUN_CDC, CDC_NULLS, WAREHOUSE, DIALECT, STAGING, IAM_ROLE, PASSWORD_SECRET))
            .toList();

    /** The dimensions config; {@code defaults} also looks for the simulator's registry folders in the lake. */
    static java.util.Optional<DimensionsConfig> dimensionsConfig(Options o, boolean defaults) {
        String lake = lakeRoot(o);
        java.util.Optional<String> metadata = o.optional("metadata");
        java.util.Optional<String> cdc = o.optional("cdc");
        if (defaults && metadata.isEmpty() && cdc.isEmpty()) {
            metadata = java.util.Optional.of(lake + "/" + REGISTRY_SNAPSHOTS).filter(CommonOptions::isDirectory);
            cdc = java.util.Optional.of(lake + "/" + REGISTRY_CDC).filter(CommonOptions::isDirectory);
            if (metadata.isEmpty() && cdc.isEmpty()) {
                return java.util.Optional.empty();
            }
        }
        try {
            for (java.util.Optional<String> dir : List.of(metadata, cdc)) {
                if (dir.isPresent() && !isDirectory(dir.get())) {
                    throw new IllegalArgumentException(dir.get() + " is not a directory");
                }
            }
            NullRule nulls = NullRule.of(o.string("cdc-nulls"));
            // run takes --from/--to as the cleanse's arrival window; only the dimensions command windows its files
            return java.util.Optional.of(
                    defaults
                            ? new DimensionsConfig(lake, metadata, cdc, nulls)
                            : new DimensionsConfig(lake, metadata, cdc, nulls, o.instant("from"), o.instant("to")));
        } catch (IllegalArgumentException e) {
            throw new UsageException("dimensions: " + e.getMessage(), e);
        }
    }

    /** Where the simulator writes registry snapshots and CDC files, relative to the lake root. */
    static final String REGISTRY_SNAPSHOTS = "raw/registry";

    static final String REGISTRY_CDC = "raw/registry_cdc";

    static RollupConfig rollupConfig(Options o) {
        try {
            return new RollupConfig(lakeRoot(o), o.instant("from"), o.instant("to"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("rollup: " + e.getMessage(), e);
        }
    }

    static CleanseConfig cleanseConfig(Options o) {
        MetricCatalog catalog = metricCatalog("cleanse", o);
        EventLimits limits = limits("cleanse", o);
        try {
            return new CleanseConfig(
                    lakeRoot(o), o.instant("from"), o.instant("to"), o.duration("lookback"), catalog, limits);
        } catch (IllegalArgumentException e) {
            throw new UsageException("cleanse: " + e.getMessage(), e);
        }
    }

    /** The validation limits (--max-record-bytes, --max-future-skew, --max-lateness). */
    static EventLimits limits(String command, Options o) {
        try {
            return new EventLimits(
                    o.integer("max-record-bytes"), o.duration("max-future-skew"), o.duration("max-lateness"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code --metrics-catalog} file (a local path, or a URI such as {@code s3://bucket/catalog.json}
     * read through Hadoop), or the built-in catalog; a usage error names the file and the fault.
     */
    static MetricCatalog metricCatalog(String command, Options o) {
        java.util.Optional<String> file = o.optional("metrics-catalog");
        if (file.isEmpty()) {
            return MetricCatalog.defaults();
        }
        try {
            if (!hasScheme(file.get())) {
                return MetricCatalog.load(Path.of(file.get()));
            }
            try {
                return MetricCatalog.parse(
                        new String(HadoopPaths.read(file.get()), StandardCharsets.UTF_8), file.get());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(
                        "--metrics-catalog " + file.get() + " cannot be read: " + e.getMessage(), e);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code location} is a URI with a scheme ({@code s3://…}, {@code s3a://…}) rather than a local path. */
    static boolean hasScheme(String location) {
        return location.contains("://");
    }

    /**
     * Whether {@code location} is an existing folder: a local one, or a prefix with objects below it on S3
     * (through Hadoop, configured as the jobs are).
     */
    static boolean isDirectory(String location) {
        if (!hasScheme(location)) {
            return Files.isDirectory(Path.of(location));
        }
        return HadoopPaths.isDirectory(location);
    }

    /**
     * The lake of a command that makes a scratch lake of its own (demo, benchmarks): a local folder only;
     * an S3 root is a usage error.
     */
    static Path scratchLake(String command, Options o) {
        String root = lakeRoot(o);
        if (hasScheme(root)) {
            throw new UsageException(
                    command + ": --lake must be a local folder (it makes a scratch lake), got " + root);
        }
        return Path.of(root);
    }

    /**
     * The lake of {@code --lake} on the command's SparkSession, whose jobs wait {@code --lock-wait}
     * (when the command has it) for the writer lock.
     */
    static Lake lake(Options o, String command) {
        Lake lake = Lake.at(SparkSessions.getOrCreate("sensorhouse-" + command), lakeRoot(o));
        return o.optional(LOCK_WAIT.name()).isPresent() ? lake.withLockWait(o.duration(LOCK_WAIT.name())) : lake;
    }

    /** The --lake value, normalized. */
    static String lakeRoot(Options o) {
        return Lake.normalize(o.string("lake"));
    }

    /** Checks that an existing local lake can be read; remote lakes are checked by the job itself. */
    static String existingLake(String command, Options o) {
        String root = lakeRoot(o);
        if (!hasScheme(root)) {
            Path p = Path.of(root);
            if (!Files.isDirectory(p)) {
                throw new UsageException(
                        command + ": --lake " + root + " is not a directory (run 'sensorhouse simulate --lake "
                                + o.string("lake") + "' to create one)");
            }
            if (!Files.isReadable(p) || !Files.isExecutable(p)) {
                throw new UsageException(command + ": --lake " + root + " is not readable");
            }
        }
        return root;
    }
}
