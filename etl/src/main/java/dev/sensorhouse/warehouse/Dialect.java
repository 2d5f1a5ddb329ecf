package dev.sensorhouse.warehouse;

import dev.sensorhouse.warehouse.StarSchema.Column;
import dev.sensorhouse.warehouse.StarSchema.Table;
import dev.sensorhouse.warehouse.StarSchema.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one SQL renderer per warehouse dialect: DDL of the {@link StarSchema}, the staging tables, the
 * delete-insert by business key, the views and the load lock. Every function is pure (schema in, text
 * out) and unit-tested against expected text. Identifiers come from the schema, which validates them;
 * values are bound parameters, except in Redshift's COPY, which takes none (see {@link RedshiftCopy}).
 *
 * <p>Staging tables are temporary ({@code stage_<table>}) with the target's columns plus
 * {@code _deleted}: a staged key is deleted from the target, and inserted again unless
 * {@code _deleted} is true.
 */
public enum Dialect {
    /** Amazon Redshift: DISTSTYLE/DISTKEY/SORTKEY and column encodings; staging by COPY from S3. */
    REDSHIFT {
        @Override
        String sqlType(Column c) {
            return switch (c.baseType()) {
                case "bigint" -> "BIGINT";
                case "int" -> "INTEGER";
                case "double" -> "DOUBLE PRECISION";
                case "boolean" -> "BOOLEAN";
                case "date" -> "DATE";
                case "timestamp" -> "TIMESTAMP";
                default -> c.type().toUpperCase(Locale.ROOT);
            };
        }

        @Override
        String columnSuffix(Table t, Column c) {
            return " ENCODE " + encoding(t, c).toUpperCase(Locale.ROOT);
        }

        @Override
        String tableSuffix(Table t) {
            StringBuilder s = new StringBuilder();
            s.append("\nDISTSTYLE ").append(t.diststyle().toUpperCase(Locale.ROOT));
            t.distkey().ifPresent(k -> s.append("\nDISTKEY (").append(k).append(')'));
            if (!t.sortkey().isEmpty()) {
                s.append("\nCOMPOUND SORTKEY (")
                        .append(String.join(", ", t.sortkey()))
                        .append(')');
            }
            return s.toString();
        }

        @Override
        String stageSuffix(Table t) {
            return t.distkey().map(k -> "\nDISTSTYLE KEY\nDISTKEY (" + k + ")").orElse("");
        }

        @Override
        String informationSchemaType(Column c) {
            return POSTGRES.informationSchemaType(c);
        }
    },

    /** PostgreSQL: plain tables; staging by COPY FROM STDIN. */
    POSTGRES {
        @Override
        String sqlType(Column c) {
            return REDSHIFT.sqlType(c);
        }

        @Override
        String informationSchemaType(Column c) {
            return switch (c.baseType()) {
                case "int" -> "integer";
                case "double" -> "double precision";
                case "timestamp" -> "timestamp without time zone";
                case "varchar" -> "character varying";
                default -> c.baseType();
            };
        }
    },

    /** DuckDB, the embedded default: a file; staging from Parquet files; no lock statement (the file is locked). */
    DUCKDB {
        @Override
        String sqlType(Column c) {
            return switch (c.baseType()) {
                case "double" -> "DOUBLE";
                case "varchar" -> "VARCHAR";
                default -> REDSHIFT.sqlType(c);
            };
        }

        @Override
        String informationSchemaType(Column c) {
            return sqlType(c).toLowerCase(Locale.ROOT);
        }

        @Override
        Optional<String> lockLoads() {
            return Optional.empty();
        }
    };

    /** The name of a table's staging table. */
    public static String stage(Table t) {
        return "stage_" + t.name();
    }

    /** The column a staged row says "delete only" with. */
    public static final String DELETED = "_deleted";

    abstract String sqlType(Column c);

    /** The type {@code information_schema.columns.data_type} reports for a column (lower case). */
    abstract String informationSchemaType(Column c);

    String columnSuffix(Table t, Column c) {
        return "";
    }

    String tableSuffix(Table t) {
        return "";
    }

    String stageSuffix(Table t) {
        return "";
    }

    /** The dialect for a name ({@code redshift}, {@code postgres}, {@code duckdb}). */
    public static Dialect of(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown warehouse dialect '" + name + "'; expected redshift, postgres or duckdb", e);
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code CREATE TABLE IF NOT EXISTS} with every column of the schema. */
    public String createTable(Table t) {
        String columns = t.columns().stream()
                .map(c -> "  " + columnDefinition(t, c, true))
                .collect(Collectors.joining(",\n"));
        return "CREATE TABLE IF NOT EXISTS " + t.name() + " (\n" + columns + "\n)" + tableSuffix(t);
    }

    /**
     * Adds a column the schema has and the table lacks. Added columns are nullable whatever the schema
     * says: the rows already there have no value for them.
     */
    public String addColumn(Table t, Column c) {
        return "ALTER TABLE " + t.name() + " ADD COLUMN " + columnDefinition(t, c, false);
    }

    private String columnDefinition(Table t, Column c, boolean withNotNull) {
        return c.name() + " " + sqlType(c) + (withNotNull && !c.nullable() ? " NOT NULL" : "") + columnSuffix(t, c);
    }

    /** Drops and creates the temporary staging table of a loaded table. */
    public List<String> createStage(Table t) {
        List<String> columns = new ArrayList<>();
        t.columns().forEach(c -> columns.add("  " + c.name() + " " + sqlType(c)));
        columns.add("  " + DELETED + " BOOLEAN NOT NULL");
        return List.of(
                "DROP TABLE IF EXISTS " + stage(t),
                "CREATE TEMP TABLE " + stage(t) + " (\n" + String.join(",\n", columns) + "\n)" + stageSuffix(t));
    }

    /** Deletes every target row whose business key is staged. */
    public String deleteStaged(Table t) {
        String on = t.key().stream().map(k -> t.name() + "." + k + " = s." + k).collect(Collectors.joining(" AND "));
        return "DELETE FROM " + t.name() + " USING " + stage(t) + " s WHERE " + on;
    }

    /**
     * Deletes every row a full reload replaces, in the load's transaction: all of them, except in the
     * audit table, where the loads' own rows stay.
     */
    public String deleteAll(Table t) {
        return "DELETE FROM " + t.name() + (t.kind() == StarSchema.Kind.AUDIT ? " WHERE origin = 'lake'" : "");
    }

    /** The distinct values of one column among the staged rows that are not deletions. */
    public String stagedDistinct(Table t, String column) {
        return "SELECT DISTINCT " + t.column(column).name() + " FROM " + stage(t) + " WHERE NOT " + DELETED;
    }

    /** Inserts the staged rows that are not deletions. */
    public String insertStaged(Table t) {
        String columns = String.join(", ", t.columnNames());
        return "INSERT INTO " + t.name() + " (" + columns + ") SELECT " + columns + " FROM " + stage(t) + " WHERE NOT "
                + DELETED;
    }

    public String createView(View v) {
        return "CREATE OR REPLACE VIEW " + v.name() + " AS\n" + v.select();
    }

    /**
     * The statement that serializes loads: it takes the lock table's exclusive lock for the rest of the
     * transaction, so a second load waits until the first commits or rolls back.
     */
    Optional<String> lockLoads() {
        return Optional.of("LOCK etl_load_lock");
    }

    /** The columns of the schema's tables as the warehouse has them, in column order. */
    public String columnsQuery() {
        return "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position";
    }

    /**
     * Redshift's encoding for a column: RAW for sort key columns (compressing them hurts range-restricted
     * scans), AZ64 for integers, dates and timestamps, ZSTD for the rest.
     */
    static String encoding(Table t, Column c) {
        if (c.encode().isPresent()) {
            return c.encode().get();
        }
        if (t.sortkey().contains(c.name())) {
            return "raw";
        }
        return switch (c.baseType()) {
            case "bigint", "int", "date", "timestamp" -> "az64";
            default -> "zstd";
        };
    }
}
