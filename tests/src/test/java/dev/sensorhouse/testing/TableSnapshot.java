package dev.sensorhouse.testing;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Every row of a table, all columns, rendered as text and sorted: two snapshots are equal exactly when
 * the tables hold the same multiset of rows. Timestamps render as UTC instants, so the JVM's time zone
 * does not matter. {@link #assertSameRowsAs} reports the rows missing and the rows extra instead of
 * dumping both lists.
 */
public record TableSnapshot(String name, List<String> columns, List<String> rows) {
    private static final String SEPARATOR = " \u241F ";
    private static final int SHOWN = 10;

    /** Snapshot of the Delta table at {@code lake/relativePath}; reading it fails if the table is not readable. */
    public static TableSnapshot ofTable(SparkSession spark, Path lake, String relativePath) {
        return of(
                relativePath,
                spark.read().format("delta").load(lake.resolve(relativePath).toString()));
    }

    /** Snapshot of the Delta table at {@code root/relativePath}, where {@code root} may be any lake root URI. */
    public static TableSnapshot ofTable(SparkSession spark, String root, String relativePath) {
        return of(relativePath, spark.read().format("delta").load(root + "/" + relativePath));
    }

    /** The same snapshot with every row's text passed through {@code rewrite} (and sorted again). */
    public TableSnapshot map(java.util.function.UnaryOperator<String> rewrite) {
        List<String> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(rewrite.apply(r)));
        out.sort(null);
        return new TableSnapshot(name, columns, List.copyOf(out));
    }

    public static TableSnapshot of(String name, Dataset<Row> data) {
        List<String> columns = Arrays.asList(data.columns());
        List<String> rows = new ArrayList<>();
        for (Row row : data.collectAsList()) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    s.append(SEPARATOR);
                }
                s.append(render(row.get(i)));
            }
            rows.add(s.toString());
        }
        rows.sort(null);
        return new TableSnapshot(name, List.copyOf(columns), List.copyOf(rows));
    }

    private static String render(Object v) {
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof Date d) {
            return d.toLocalDate().toString();
        }
        return String.valueOf(v);
    }

    public int size() {
        return rows.size();
    }

    /** Fails unless this snapshot has the same columns and exactly the same rows as {@code expected}. */
    public void assertSameRowsAs(TableSnapshot expected) {
        if (!columns.equals(expected.columns)) {
            throw new AssertionError(
                    name + ": columns " + columns + " differ from " + expected.name + "'s " + expected.columns);
        }
        if (rows.equals(expected.rows)) {
            return;
        }
        Map<String, Integer> balance = new HashMap<>();
        expected.rows.forEach(r -> balance.merge(r, 1, Integer::sum));
        rows.forEach(r -> balance.merge(r, -1, Integer::sum));
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        balance.forEach((row, n) -> {
            for (int i = 0; i < Math.abs(n); i++) {
                (n > 0 ? missing : extra).add(row);
            }
        });
        missing.sort(null);
        extra.sort(null);
        throw new AssertionError(String.format(
                "%s (%,d rows) differs from %s (%,d rows): %,d rows missing, %,d rows extra%ncolumns: %s%nmissing (first %d):%n  %s%nextra (first %d):%n  %s",
                name,
                rows.size(),
                expected.name,
                expected.rows.size(),
                missing.size(),
                extra.size(),
                String.join(SEPARATOR, columns),
                SHOWN,
                String.join("\n  ", missing.subList(0, Math.min(SHOWN, missing.size()))),
                SHOWN,
                String.join("\n  ", extra.subList(0, Math.min(SHOWN, extra.size())))));
    }
}
