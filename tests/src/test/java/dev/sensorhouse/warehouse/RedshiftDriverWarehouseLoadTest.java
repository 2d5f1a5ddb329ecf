package dev.sensorhouse.warehouse;

import dev.sensorhouse.testing.PostgresServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The load contract through the Amazon Redshift JDBC driver, against PostgreSQL behind pgbouncer:
 * the Redshift code path of staging (the driver's CopyManager), delete-insert, transaction and audit
 * on a real server. Only the COPY source differs on Redshift itself (S3 Parquet, see
 * {@code RedshiftCopyTest} and {@code S3ManifestStagerTest}).
 */
class RedshiftDriverWarehouseLoadTest extends WarehouseLoadContract {
    @Override
    WarehouseTarget newTarget(Path tmp) {
        PostgresServer pg = PostgresServer.shared();
        return WarehouseTarget.of(
                pg.redshiftUrl(pg.createDatabase("redshift")),
                Optional.of("postgres"),
                Optional.empty(),
                Map.of(WarehouseTarget.USER_ENV, pg.user(), WarehouseTarget.PASSWORD_ENV, pg.password()),
                id -> {
                    throw new AssertionError("the password comes from the environment here");
                });
    }
}
