package dev.sensorhouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Runs one of the example queries of {@code schemas/contracts/warehouse/queries/} and prints its result as a table. */
final class QueryTable {
    private QueryTable() {}

    /** The query's text (comments kept, so the output says what the query is). */
    static String query(String name) {
        String resource = "sensorhouse/schemas/warehouse/queries/" + name + ".sql";
        try (InputStream in = QueryTable.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first column of a query's first row. */
    static String firstValue(Connection connection, String sql) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The result of a query with bound string parameters, as aligned text. */
    static String run(Connection connection, String sql, String... parameters) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                String[] header = new String[md.getColumnCount()];
                for (int i = 0; i < header.length; i++) {
                    header[i] = md.getColumnLabel(i + 1);
                }
                rows.add(header);
                while (rs.next()) {
                    String[] row = new String[header.length];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = String.valueOf(rs.getString(i + 1));
                    }
                    rows.add(row);
                }
            }
        }
        int[] widths = new int[rows.get(0).length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                out.append("  ").append(String.format("%-" + widths[i] + "s", r[i]));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
