package dev.sensorhouse.warehouse;

import dev.sensorhouse.testing.PostgresServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The load contract against PostgreSQL through its own driver, staged by COPY FROM STDIN. */
class PostgresWarehouseLoadTest extends WarehouseLoadContract {
    @Override
    WarehouseTarget newTarget(Path tmp) {
        PostgresServer pg = PostgresServer.shared();
        return WarehouseTarget.of(
                pg.postgresUrl(pg.createDatabase("load")),
                Optional.empty(),
                Optional.empty(),
                Map.of(WarehouseTarget.USER_ENV, pg.user(), WarehouseTarget.PASSWORD_ENV, pg.password()),
                id -> {
                    throw new AssertionError("the password comes from the environment here");
                });
    }
}
