package dev.sensorhouse.warehouse;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The load contract against an embedded DuckDB file, staged from Parquet files. */
class DuckDbWarehouseLoadTest extends WarehouseLoadContract {
    @Override
    WarehouseTarget newTarget(Path tmp) {
        return WarehouseTarget.of(
                tmp.resolve("warehouse.duckdb").toString(), Optional.empty(), Optional.empty(), Map.of(), id -> {
                    throw new AssertionError("no secret for DuckDB");
                });
    }
}
