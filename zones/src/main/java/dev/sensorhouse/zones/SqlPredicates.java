package dev.sensorhouse.zones;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The Spark SQL predicates that Delta write options take as text ({@code replaceWhere}, a MERGE's
 * target condition): {@code column IN (literal, ...)} over dates, UTC timestamps or strings, each
 * literal written once here. The values are sorted and distinct, so the same set gives the same text.
 * Pure.
 */
public final class SqlPredicates {
    private static final java.time.format.DateTimeFormatter UTC_TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
                    .withZone(ZoneOffset.UTC);

    private SqlPredicates() {}

    /** {@code column IN (DATE'2026-01-01', ...)}. */
    public static String inDates(String column, Collection<LocalDate> dates) {
        return in(column, new TreeSet<>(dates).stream().map(d -> "DATE'" + d + "'"));
    }

    /** {@code column IN (TIMESTAMP'2026-01-01 00:00:00', ...)}, the instants as UTC wall-clock times. */
    public static String inTimestamps(String column, Collection<Instant> instants) {
        return in(column, new TreeSet<>(instants).stream().map(t -> "TIMESTAMP'" + UTC_TIMESTAMP.format(t) + "'"));
    }

    /** {@code column IN ('a', 'b\'c', ...)}. */
    public static String inStrings(String column, Collection<String> values) {
        return in(column, new TreeSet<>(values).stream().map(SqlPredicates::string));
    }

    /** A Spark SQL string literal: quotes and backslashes escaped. */
    public static String string(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The UTC dates of some instants. */
    public static java.util.List<LocalDate> utcDates(Collection<Instant> instants) {
        return instants.stream()
                .map(i -> LocalDate.ofInstant(i, ZoneOffset.UTC))
                .distinct()
                .sorted()
                .toList();
    }

    private static String in(String column, java.util.stream.Stream<String> literals) {
        String list = literals.collect(Collectors.joining(", "));
        if (list.isEmpty()) {
            throw new IllegalArgumentException("an IN list for " + column + " needs at least one value");
        }
        return column + " IN (" + list + ")";
    }
}
