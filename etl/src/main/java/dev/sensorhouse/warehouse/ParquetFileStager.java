package dev.sensorhouse.warehouse;

import dev.sensorhouse.warehouse.StarSchema.Table;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * DuckDB staging: Spark writes the batch as local Parquet files, and DuckDB inserts them into the
 * staging table with {@code read_parquet}. The files are removed after the load, committed or not.
 */
final class ParquetFileStager implements Stager {
    private final ParquetStaging files;

    ParquetFileStager(ParquetStaging files) {
        this.files = files;
    }

    @Override
    public long stage(Connection connection, Table t, Dataset<Row> rows) throws Exception {
        List<FileStatus> written = files.write(rows, t.name());
        if (written.isEmpty()) {
            return 0;
        }
        try (Statement s = connection.createStatement()) {
            return s.executeUpdate(insertSql(
                    t, written.stream().map(f -> f.getPath().toUri().getPath()).toList()));
        }
    }

    /** {@code INSERT INTO stage_x (...) SELECT ... FROM read_parquet([...])}; the paths are quoted literals. */
    static String insertSql(Table t, List<String> paths) {
        List<String> columns = new ArrayList<>(t.columnNames());
        columns.add(Dialect.DELETED);
        String list = String.join(", ", columns);
        String files = paths.stream().map(p -> "'" + p.replace("'", "''") + "'").collect(Collectors.joining(", "));
        return "INSERT INTO " + Dialect.stage(t) + " (" + list + ") SELECT " + list + " FROM read_parquet([" + files
                + "])";
    }

    @Override
    public void afterCommit() {
        files.delete();
    }

    @Override
    public void afterRollback() {
        files.delete();
    }
}
