package dev.sensorhouse.warehouse;

import dev.sensorhouse.warehouse.StarSchema.Column;
import dev.sensorhouse.warehouse.StarSchema.Table;
import dev.sensorhouse.warehouse.StarSchema.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

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

    // ---- Redshift Spectrum over the lake's symlink manifests (register-catalog)

    /**
     * {@code CREATE EXTERNAL SCHEMA} of Redshift Spectrum over a Glue Data Catalog database of its own
     * (created if missing): Spectrum's external tables are Hive tables over the manifests, so they must not
     * share a database with the lake's Delta tables of the same names.
     */
    public String createExternalSchema(String schema, String catalogDatabase, String iamRole) {
        requireSpectrum();
        return "CREATE EXTERNAL SCHEMA IF NOT EXISTS " + identifier(schema) + "\nFROM DATA CATALOG DATABASE "
                + literal(identifier(catalogDatabase)) + "\nIAM_ROLE " + literal(iamRole)
                + "\nCREATE EXTERNAL DATABASE IF NOT EXISTS";
    }

    /**
     * Drops and creates the external table over a Delta table's symlink manifests ({@code
     * manifests}, the table's {@code _symlink_format_manifest/} folder): its columns but the partition
     * columns, which are {@code PARTITIONED BY}.
     */
    public List<String> createExternalTable(
            String schema, String table, StructType columns, List<String> partitionColumns, String manifests) {
        requireSpectrum();
        String name = identifier(schema) + "." + identifier(table);
        List<String> data = new ArrayList<>();
        List<String> partitions = new ArrayList<>();
        for (StructField f : columns.fields()) {
            String column = "  " + identifier(f.name()) + " " + spectrumType(f.dataType());
            (partitionColumns.contains(f.name()) ? partitions : data).add(column);
        }
        return List.of(
                "DROP TABLE IF EXISTS " + name,
                "CREATE EXTERNAL TABLE " + name + " (\n" + String.join(",\n", data) + "\n)"
                        + (partitions.isEmpty()
                                ? ""
                                : "\nPARTITIONED BY ("
                                        + String.join(", ", partitions).replace("  ", "") + ")")
                        + "\nROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'"
                        + "\nSTORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'"
                        + "\nOUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'"
                        + "\nLOCATION " + literal(s3(manifests)));
    }

    /** Adds one partition's manifest folder (e.g. {@code event_date=2026-01-01}) to an external table. */
    public String addExternalPartition(
            String schema, String table, java.util.Map<String, String> values, String manifestFolder) {
        requireSpectrum();
        String spec = values.entrySet().stream()
                .map(e -> identifier(e.getKey()) + " = " + literal(e.getValue()))
                .collect(Collectors.joining(", "));
        return "ALTER TABLE " + identifier(schema) + "." + identifier(table) + " ADD IF NOT EXISTS PARTITION (" + spec
                + ") LOCATION " + literal(s3(manifestFolder));
    }

    /** The Spectrum type of a lake column's Spark type. */
    static String spectrumType(DataType t) {
        if (t instanceof StringType) {
            return "VARCHAR(65535)";
        } else if (t instanceof LongType) {
            return "BIGINT";
        } else if (t instanceof IntegerType) {
            return "INTEGER";
        } else if (t instanceof ShortType || t instanceof ByteType) {
            return "SMALLINT";
        } else if (t instanceof DoubleType) {
            return "DOUBLE PRECISION";
        } else if (t instanceof FloatType) {
            return "REAL";
        } else if (t instanceof BooleanType) {
            return "BOOLEAN";
        } else if (t instanceof DateType) {
            return "DATE";
        } else if (t instanceof TimestampType) {
            return "TIMESTAMP";
        } else if (t instanceof DecimalType d) {
            return "DECIMAL(" + d.precision() + "," + d.scale() + ")";
        } else if (t instanceof ArrayType a) {
            return "ARRAY<" + spectrumType(a.elementType()) + ">";
        } else if (t instanceof MapType m) {
            return "MAP<" + spectrumType(m.keyType()) + "," + spectrumType(m.valueType()) + ">";
        } else if (t instanceof StructType st) {
            return java.util.Arrays.stream(st.fields())
                    .map(f -> identifier(f.name()) + ":" + spectrumType(f.dataType()))
                    .collect(Collectors.joining(",", "STRUCT<", ">"));
        }
        throw new IllegalArgumentException("no Redshift Spectrum type for " + t.sql());
    }

    private void requireSpectrum() {
        if (this != REDSHIFT) {
            throw new UnsupportedOperationException("Redshift Spectrum is Redshift's; not " + label());
        }
    }

    private static String identifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,126}")) {
            throw new IllegalArgumentException("'" + name + "' is not a lower-case SQL identifier");
        }
        return name;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** Redshift reads {@code s3://} locations; the lake may be named {@code s3a://}. */
    private static String s3(String location) {
        return location.replaceFirst("^s3a://", "s3://");
    }

    // ---- end Redshift Spectrum

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
