package dev.sensorhouse.warehouse;

import dev.sensorhouse.contract.MetricCatalog;
import java.util.Optional;

/**
 * A load's configuration.
 *
 * @param lake lake root (local folder or s3a:// URI)
 * @param target the warehouse
 * @param staging where staging files go, as a Hadoop URI or folder: an S3 prefix for Redshift
 *     (required), a local folder for DuckDB (default: next to the DuckDB file); unused for PostgreSQL
 * @param copy how Redshift's COPY is authorized (Redshift only)
 * @param catalog the metric catalog dim_metric is loaded from
 */
public record WarehouseConfig(
        String lake, WarehouseTarget target, String staging, Optional<RedshiftCopy> copy, MetricCatalog catalog) {
    public WarehouseConfig {
        if (target.dialect() == Dialect.REDSHIFT) {
            if (!staging.matches("^s3[an]?://.+")) {
                throw new IllegalArgumentException(
                        "a Redshift load needs --staging s3://BUCKET/PREFIX for its COPY files, got '" + staging + "'");
            }
            if (copy.isEmpty()) {
                throw new IllegalArgumentException(
                        "a Redshift load needs --iam-role ARN, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
            }
        }
    }

    /** The staging folder a DuckDB target uses by default: {@code <file>.staging} next to it. */
    public static String defaultStaging(WarehouseTarget target) {
        return target.duckDbFile().map(f -> f.toAbsolutePath() + ".staging").orElse("");
    }
}
