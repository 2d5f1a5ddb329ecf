package dev.sensorhouse.warehouse;

import dev.sensorhouse.warehouse.StarSchema.Table;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Redshift staging:
 *
 * <ol>
 *   <li>Spark writes the batch as Parquet under {@code <staging>/<run id>/<table>/} on S3;
 *   <li>a manifest {@code <staging>/<run id>/<table>.manifest} lists those files with their sizes;
 *   <li>{@code COPY stage_<table> FROM '<manifest>' ... FORMAT AS PARQUET MANIFEST} loads them;
 *   <li>a failed COPY is rolled back and reported with the {@code stl_load_errors} rows of the run's
 *       files;
 *   <li>after the load commits, the run's folder is removed (after a failure it is kept for
 *       inspection, and its path is in the error).
 * </ol>
 */
final class S3ManifestStager implements Stager {
    private final ParquetStaging files;
    private final RedshiftCopy copy;

    S3ManifestStager(ParquetStaging files, RedshiftCopy copy) {
        this.files = files;
        this.copy = copy;
    }

    @Override
    public long stage(Connection connection, Table t, Dataset<Row> rows) throws Exception {
        List<FileStatus> written = files.write(rows, t.name());
        if (written.isEmpty()) {
            return 0;
        }
        List<Map.Entry<String, Long>> entries = written.stream()
                .map(f -> Map.entry(s3Url(f.getPath()), f.getLen()))
                .toList();
        Path manifest = new Path(files.root(), t.name() + ".manifest");
        try (OutputStream out = files.fs().create(manifest, true)) {
            out.write(RedshiftCopy.manifest(entries).getBytes(StandardCharsets.UTF_8));
        }
        try (Statement s = connection.createStatement()) {
            s.execute(copy.copy(t, s3Url(manifest)));
            try (ResultSet count = s.executeQuery("SELECT COUNT(*) FROM " + Dialect.stage(t))) {
                count.next();
                return count.getLong(1);
            }
        } catch (SQLException e) {
            connection.rollback();
            String prefix = s3Url(files.root()) + "/";
            throw new SQLException(
                    copy.mask(e.getMessage()) + loadErrors(connection, prefix) + "\n(staging files kept under " + prefix
                            + ")",
                    e.getSQLState(),
                    e);
        }
    }

    /** The {@code stl_load_errors} rows of the files under a prefix, one per line. */
    private static String loadErrors(Connection connection, String prefix) {
        StringBuilder s = new StringBuilder("\nstl_load_errors for " + prefix + ":");
        try (PreparedStatement q = connection.prepareStatement(RedshiftCopy.loadErrorsQuery())) {
            q.setString(1, prefix.replace("%", "\\%").replace("_", "\\_") + "%");
            try (ResultSet rs = q.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    s.append(String.format(
                            "%n  %s line %d column %s: error %d %s",
                            rs.getString(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5)));
                    n++;
                }
                if (n == 0) {
                    s.append(" none");
                }
            }
        } catch (SQLException e) {
            s.append(" could not be read: ").append(e.getMessage());
        }
        return s.toString();
    }

    /** Redshift names S3 objects {@code s3://}; Hadoop may write them through {@code s3a://}. */
    static String s3Url(Path p) {
        String uri = p.toUri().toString();
        return uri.replaceFirst("^s3[an]://", "s3://");
    }

    @Override
    public void afterCommit() {
        files.delete();
    }
}
