package dev.sensorhouse.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The side-by-side table a benchmark prints: per stage the work, its seconds, the process's CPU
 * seconds, items per second and the ratio of its seconds to the reference (DuckDB's) on the same
 * work. Rows of one group share a reference.
 */
final class BenchTable {
    /** One timed piece of work; {@code items} is what {@code unit} counts (lines, readings). */
    record Row(String group, String who, String work, long items, String unit, double seconds, double cpuSeconds) {
        double perSecond() {
            return seconds <= 0 ? 0 : items / seconds;
        }
    }

    static final String REFERENCE = "DuckDB";

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(String group, String who, String work, long items, String unit, Stopwatch.Timed<?> t) {
        rows.add(new Row(group, who, work, items, unit, t.seconds(), t.cpuSeconds()));
    }

    /** A line printed under the table (a ratio between rows, a reconciliation). */
    void note(String format, Object... args) {
        notes.add(String.format(Locale.ROOT, format, args));
    }

    List<Row> rows() {
        return rows;
    }

    /** The seconds of the reference row of a group, or 0 when it has none. */
    double reference(String group) {
        return rows.stream()
                .filter(r -> r.group().equals(group) && r.who().equals(REFERENCE))
                .mapToDouble(Row::seconds)
                .findFirst()
                .orElse(0);
    }

    void print(PrintStream out) {
        String format = "%-8s %-12s %-58s %9s %9s %13s %-9s %8s%n";
        out.printf(Locale.ROOT, format, "stage", "who", "work", "seconds", "cpu s", "per second", "of", "x DuckDB");
        for (Row r : rows) {
            double ref = reference(r.group());
            out.printf(
                    Locale.ROOT,
                    format,
                    r.group(),
                    r.who(),
                    r.work(),
                    String.format(Locale.ROOT, "%.2f", r.seconds()),
                    String.format(Locale.ROOT, "%.2f", r.cpuSeconds()),
                    String.format(Locale.ROOT, "%,.0f", r.perSecond()),
                    r.unit(),
                    ref > 0 ? String.format(Locale.ROOT, "%.2f", r.seconds() / ref) : "-");
        }
        notes.forEach(out::println);
    }
}
