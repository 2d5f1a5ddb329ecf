package dev.sensorhouse.warehouse;

import static org.apache.spark.sql.functions.*;

import dev.sensorhouse.warehouse.StarSchema.Column;
import dev.sensorhouse.warehouse.StarSchema.Table;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Stages through {@code COPY stage_x FROM STDIN (FORMAT csv)} on the load's own connection, with the
 * PostgreSQL driver's or the Redshift driver's CopyManager. Spark renders each row as a CSV line on
 * the executors ({@link #csvLines}); the driver streams the lines partition by partition into the COPY,
 * never holding more than one partition.
 */
public final class CopyStdinStager implements Stager {
    @Override
    public long stage(Connection connection, Table t, Dataset<Row> rows) throws SQLException, IOException {
        return copyIn(connection, copySql(t), csvLines(rows, t));
    }

    /**
     * Streams CSV lines into a {@code COPY ... FROM STDIN (FORMAT csv)} on the connection (PostgreSQL or
     * Redshift driver); returns the lines sent. Public for {@code bench-warehouse}'s plain-COPY baseline,
     * which streams the same way.
     */
    public static long copyIn(Connection connection, String sql, Dataset<String> csv) throws SQLException, IOException {
        LineStream lines = new LineStream(csv.toLocalIterator());
        if (connection.isWrapperFor(org.postgresql.PGConnection.class)) {
            new org.postgresql.copy.CopyManager(connection.unwrap(org.postgresql.core.BaseConnection.class))
                    .copyIn(sql, lines);
        } else if (connection.isWrapperFor(com.amazon.redshift.RedshiftConnection.class)) {
            connection
                    .unwrap(com.amazon.redshift.RedshiftConnection.class)
                    .getCopyAPI()
                    .copyIn(sql, lines);
        } else {
            throw new SQLException("COPY FROM STDIN needs the PostgreSQL or the Redshift JDBC driver, not "
                    + connection.getClass().getName());
        }
        return lines.lines();
    }

    static String copySql(Table t) {
        List<String> columns = new ArrayList<>(t.columnNames());
        columns.add(Dialect.DELETED);
        return "COPY " + Dialect.stage(t) + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT csv)";
    }

    /**
     * Each row as one line of PostgreSQL CSV: strings always quoted (quotes doubled), so an empty string
     * stays empty while an unquoted empty field is NULL; timestamps as {@code yyyy-MM-dd HH:mm:ss.SSSSSS}
     * (UTC, the session time zone).
     */
    public static Dataset<String> csvLines(Dataset<Row> rows, Table t) {
        List<org.apache.spark.sql.Column> fields = new ArrayList<>();
        for (Column c : t.columns()) {
            org.apache.spark.sql.Column v = col(c.name());
            org.apache.spark.sql.Column text = switch (c.baseType()) {
                case "varchar" ->
                    concat(
                            lit("\""),
                            replace(v, lit("\""), lit("\"\"")),
                            lit("\"")); // a plain replace: a regex costs a third more CPU
                case "timestamp" -> date_format(v, "yyyy-MM-dd HH:mm:ss.SSSSSS");
                default -> v.cast("string");
            };
            fields.add(coalesce(text, lit("")));
        }
        fields.add(col(Dialect.DELETED).cast("string"));
        return rows.select(concat_ws(",", fields.toArray(org.apache.spark.sql.Column[]::new)))
                .as(Encoders.STRING());
    }

    /** Lines as one UTF-8 byte stream, a line feed after each; counts the lines it has given. */
    static final class LineStream extends InputStream {
        private final Iterator<String> lines;
        private byte[] buffer = new byte[0];
        private int position;
        private long count;

        LineStream(Iterator<String> lines) {
            this.lines = lines;
        }

        long lines() {
            return count;
        }

        private boolean fill() {
            if (position < buffer.length) {
                return true;
            }
            StringBuilder chunk = new StringBuilder(1 << 16);
            while (chunk.length() < (1 << 16) && lines.hasNext()) {
                chunk.append(lines.next()).append('\n');
                count++;
            }
            buffer = chunk.toString().getBytes(StandardCharsets.UTF_8);
            position = 0;
            return buffer.length > 0;
        }

        @Override
        public int read() {
            return fill() ? buffer[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buffer.length - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }
    }
}
