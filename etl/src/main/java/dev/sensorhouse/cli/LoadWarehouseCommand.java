package dev.sensorhouse.cli;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.warehouse.LoadResult;
import dev.sensorhouse.warehouse.RedshiftCopy;
import dev.sensorhouse.warehouse.WarehouseConfig;
import dev.sensorhouse.warehouse.WarehouseLoad;
import dev.sensorhouse.warehouse.WarehouseTarget;
import dev.sensorhouse.zones.Lake;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code sensorhouse load-warehouse}: the lake's cleansed, aggregated and dimension tables into the
 * warehouse star schema (Redshift, PostgreSQL, or the embedded DuckDB file by default), incrementally,
 * through staging tables, in one transaction.
 */
final class LoadWarehouseCommand implements Command {
    @Override
    public String name() {
        return "load-warehouse";
    }

    @Override
    public String summary() {
        return "load the lake into the warehouse star schema (incremental, one transaction; default: embedded DuckDB)";
    }

    @Override
    public List<Option> options() {
        return CommonOptions.LOAD_WAREHOUSE;
    }

    @Override
    public int run(Options o) {
        CommonOptions.existingLake(name(), o);
        LoadResult result = load(config(o));
        System.out.print(result.summary());
        return 0;
    }

    static LoadResult load(WarehouseConfig config) {
        Lake lake = Lake.at(SparkSessions.getOrCreate("sensorhouse-load-warehouse"), config.lake());
        return new WarehouseLoad(lake, config).run();
    }

    /**
     * The warehouse of {@code --warehouse}, {@code --dialect} and {@code --password-secret}; by default
     * the embedded DuckDB file {@code LAKE/warehouse.duckdb}, which only a local lake has.
     *
     * @throws IllegalArgumentException naming the option when the target cannot be made
     */
    static WarehouseTarget target(Options o, String lake) {
        String url = o.optional("warehouse").orElseGet(() -> {
            if (CommonOptions.hasScheme(lake)) {
                throw new IllegalArgumentException(
                        "--warehouse is required when the lake is not a local folder (the default DuckDB file LAKE/warehouse.duckdb cannot live on "
                                + lake.substring(0, lake.indexOf("://") + 3)
                                + "): give a JDBC URL or a local DuckDB file");
            }
            return Path.of(lake, "warehouse.duckdb").toString();
        });
        return WarehouseTarget.of(
                url,
                o.optional("dialect"),
                o.optional("password-secret"),
                System.getenv(),
                WarehouseTarget::secretsManager);
    }

    /** The load's config from the options (usage errors name the option). */
    static WarehouseConfig config(Options o) {
        String lake = CommonOptions.lakeRoot(o);
        try {
            MetricCatalog catalog = CommonOptions.metricCatalog("load-warehouse", o);
            WarehouseTarget target = target(o, lake);
            String staging = o.optional("staging").orElseGet(() -> WarehouseConfig.defaultStaging(target));
            Optional<RedshiftCopy> copy = target.dialect() == dev.sensorhouse.warehouse.Dialect.REDSHIFT
                    ? Optional.of(RedshiftCopy.of(o.optional("iam-role"), System.getenv()))
                    : Optional.empty();
            return new WarehouseConfig(lake, target, staging, copy, catalog);
        } catch (IllegalArgumentException e) {
            throw new UsageException("load-warehouse: " + e.getMessage(), e);
        }
    }
}
