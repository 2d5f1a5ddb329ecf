package dev.sensorhouse.cli;

import dev.sensorhouse.runtime.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed options of one command, with typed accessors whose errors name the option and the expected
 * form. Accepts {@code --key value}, {@code --key=value} and AWS Glue's job arguments (Glue passes
 * every job parameter as {@code --key value}; its own system arguments are accepted and ignored).
 */
public final class Options {
    /** Arguments AWS Glue adds to every job run; they are not Sensorhouse options. */
    public static final Set<String> GLUE_SYSTEM_ARGUMENTS = Set.of(
            "JOB_ID",
            "JOB_RUN_ID",
            "JOB_NAME",
            "job-bookmark-option",
            "TempDir",
            "enable-glue-datacatalog",
            "enable-metrics",
            "enable-continuous-cloudwatch-log",
            "enable-spark-ui",
            "spark-event-logs-path",
            "job-language",
            "class",
            "extra-jars",
            "datalake-formats",
            "conf",
            "enable-job-insights",
            "enable-observability-metrics",
            "enable-auto-scaling",
            "scriptLocation",
            "encryption-type",
            "redshift-tmp-dir",
            "user-jars-first",
            "additional-python-modules",
            "python-modules-installer-option",
            // ---- further Glue job parameters (Glue's "job parameters" reference; GlueArgumentsTest)
            "extra-py-files",
            "extra-files",
            "enable-continuous-log-filter",
            "continuous-log-logGroup",
            "continuous-log-logStreamPrefix",
            "continuous-log-conversionPattern",
            "enable-s3-parquet-optimized-committer",
            "enable-rename-algorithm-v2",
            "enable-lakeformation-fine-grained-access",
            "auto-scale-within-microbatch",
            "executor-cores",
            "customer-driver-env-vars",
            "customer-executor-env-vars",
            "write-shuffle-files-to-s3",
            "write-shuffle-spills-to-s3",
            "disable-proxy-v2",
            "debug",
            "mode");

    private final String command;
    private final Map<String, String> values;

    private Options(String command, Map<String, String> values) {
        this.command = command;
        this.values = values;
    }

    /** Parses {@code args} against {@code spec}; unknown or incomplete options are a {@link UsageException}. */
    public static Options parse(String command, List<Option> spec, String[] args) {
        Map<String, Option> byName = new LinkedHashMap<>();
        spec.forEach(o -> byName.put(o.name(), o));
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException(command + ": unexpected argument '" + arg
                        + "'; options look like --name value (see " + "sensorhouse " + command + " --help)");
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option option = byName.get(name);
            if (option == null) {
                if (GLUE_SYSTEM_ARGUMENTS.contains(name)) {
                    if (inline == null && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        i++;
                    }
                    continue;
                }
                throw new UsageException(command + ": unknown option --" + name + "; known options: "
                        + String.join(
                                ", ",
                                byName.keySet().stream().map(n -> "--" + n).toList()));
            }
            String value;
            if (inline != null) {
                if (inline.isEmpty() && !option.flag()) {
                    throw new UsageException(command + ": option --" + name + " needs a value (" + option.valueName()
                            + "), got an empty one");
                }
                value = inline;
            } else if (option.flag()) {
                value = i + 1 < args.length && (args[i + 1].equals("true") || args[i + 1].equals("false"))
                        ? args[++i]
                        : "true";
            } else {
                if (i + 1 >= args.length) {
                    throw new UsageException(
                            command + ": option --" + name + " needs a value (" + option.valueName() + ")");
                }
                value = args[++i];
            }
            values.put(name, value);
        }
        spec.forEach(o -> {
            if (o.defaultValue() != null) {
                values.putIfAbsent(o.name(), o.defaultValue());
            }
        });
        return new Options(command, values);
    }

    /** The options as {@code --name value} pairs, for the audit row. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(command);
        values.forEach((k, v) -> s.append(" --").append(k).append(' ').append(v));
        return s.toString();
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String string(String name) {
        return optional(name).orElseThrow(() -> new UsageException(command + ": option --" + name + " is required"));
    }

    public boolean flag(String name) {
        String v = string(name);
        if (!v.equals("true") && !v.equals("false")) {
            throw new UsageException(command + ": --" + name + " must be true or false, got '" + v + "'");
        }
        return v.equals("true");
    }

    public int integer(String name) {
        return (int) number(name, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public long longValue(String name) {
        return number(name, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private long number(String name, long min, long max) {
        String v = string(name);
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be a whole number, got '" + v + "'");
        }
    }

    public Duration duration(String name) {
        return parseDuration(command, name, string(name));
    }

    public Optional<Instant> instant(String name) {
        return optional(name).map(v -> parseInstant(command, name, v));
    }

    public <E extends Enum<E>> E choice(String name, Class<E> type) {
        String v = string(name);
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> accepted = java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                    .toList();
            throw new UsageException(
                    command + ": --" + name + " must be one of " + String.join("|", accepted) + ", got '" + v + "'");
        }
    }

    /** A duration (see {@link Durations#parse}); the error names the option. */
    public static Duration parseDuration(String command, String name, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": --" + name + " " + e.getMessage());
        }
    }

    /** An instant: ISO-8601 with offset ({@code 2026-01-01T00:00:00Z}), or a date or local time read as UTC. */
    public static Instant parseInstant(String command, String name, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notDate) {
                    throw new UsageException(command + ": --" + name
                            + " must be an ISO-8601 time like 2026-01-01T00:00:00Z or a date like 2026-01-01, got '"
                            + text + "'");
                }
            }
        }
    }
}
