package dev.sensorhouse.warehouse;

import dev.sensorhouse.warehouse.StarSchema.Column;
import dev.sensorhouse.warehouse.StarSchema.Table;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Brings a warehouse's tables and views to the {@link StarSchema}, idempotently: a missing table is
 * created, a column the schema has and the table lacks is added, and any other difference (a column of
 * another type, a column the schema does not have) stops the load with an error naming the table and
 * column. Views are (re)created every time. The warehouse's columns are read from
 * {@code information_schema.columns} (never through JDBC metadata, which the Redshift driver cannot do
 * on every server).
 */
public final class SchemaSync {
    private SchemaSync() {}

    /** A column as the warehouse reports it. */
    public record ExistingColumn(String name, String dataType) {}

    /**
     * The statements that bring the tables from {@code existing} (table name to its columns, in order) to
     * the schema: pure, so it is tested without a warehouse.
     *
     * @throws SchemaMismatchException naming the table and column of a difference a load cannot migrate
     */
    public static List<String> plan(StarSchema schema, Dialect dialect, Map<String, List<ExistingColumn>> existing) {
        List<String> statements = new ArrayList<>();
        for (Table t : schema.tables()) {
            List<ExistingColumn> have = existing.get(t.name());
            if (have == null) {
                statements.add(dialect.createTable(t));
                continue;
            }
            Map<String, String> haveTypes = new HashMap<>();
            have.forEach(c -> haveTypes.put(c.name(), c.dataType().toLowerCase(Locale.ROOT)));
            for (ExistingColumn c : have) {
                if (t.columns().stream().noneMatch(s -> s.name().equals(c.name()))) {
                    throw new SchemaMismatchException(String.format(
                            "warehouse table %s has column %s, which the star schema does not have; drop or rename it, or load into another schema",
                            t.name(), c.name()));
                }
            }
            for (Column c : t.columns()) {
                String type = haveTypes.get(c.name());
                if (type == null) {
                    statements.add(dialect.addColumn(t, c));
                } else if (!type.equals(dialect.informationSchemaType(c))) {
                    throw new SchemaMismatchException(String.format(
                            "warehouse table %s: column %s is %s, the star schema says %s (%s); migrate it by hand",
                            t.name(), c.name(), type, c.type(), dialect.informationSchemaType(c)));
                }
            }
        }
        schema.views().forEach(v -> statements.add(dialect.createView(v)));
        return statements;
    }

    /** Applies {@link #plan} to a warehouse in one transaction; returns the statements it ran. */
    public static List<String> apply(Connection connection, Dialect dialect, StarSchema schema) throws SQLException {
        List<String> statements = plan(schema, dialect, columns(connection, dialect, schema));
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return statements;
    }

    /** The schema's tables as the warehouse has them (tables it does not have are absent). */
    static Map<String, List<ExistingColumn>> columns(Connection connection, Dialect dialect, StarSchema schema)
            throws SQLException {
        Map<String, List<ExistingColumn>> out = new LinkedHashMap<>();
        List<String> names = schema.tables().stream().map(Table::name).toList();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(dialect.columnsQuery())) {
            while (rs.next()) {
                String table = rs.getString(1);
                if (names.contains(table)) {
                    out.computeIfAbsent(table, k -> new ArrayList<>())
                            .add(new ExistingColumn(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** A warehouse table differs from the star schema in a way a load does not migrate. */
    public static final class SchemaMismatchException extends IllegalStateException {
        public SchemaMismatchException(String message) {
            super(message);
        }
    }
}
