package dev.sensorhouse.cli;

import dev.sensorhouse.speed.Reconciliation;
import dev.sensorhouse.warehouse.WarehouseTarget;
import java.nio.file.Path;
import java.util.List;

/** {@code sensorhouse reconcile}: the speed layer's hourly figures against the batch's, where both exist. */
final class ReconcileCommand implements Command {
    @Override
    public String name() {
        return "reconcile";
    }

    @Override
    public String summary() {
        return "compare speed_reading_hourly with the batch hourly facts for the hours the batch covers";
    }

    @Override
    public List<Option> options() {
        return List.of(
                CommonOptions.LAKE,
                CommonOptions.WAREHOUSE,
                CommonOptions.DIALECT,
                CommonOptions.PASSWORD_SECRET,
                Option.value("show", "N", "20", "list at most this many differences"));
    }

    @Override
    public int run(Options o) throws Exception {
        String lake = CommonOptions.lakeRoot(o);
        WarehouseTarget target;
        try {
            target = WarehouseTarget.of(
                    o.optional("warehouse")
                            .orElse(Path.of(lake, "warehouse.duckdb").toString()),
                    o.optional("dialect"),
                    o.optional("password-secret"),
                    System.getenv(),
                    WarehouseTarget::secretsManager);
        } catch (IllegalArgumentException e) {
            throw new UsageException("reconcile: " + e.getMessage(), e);
        }
        Reconciliation.Report report = Reconciliation.run(target);
        System.out.print(report.summary(o.integer("show")));
        return 0;
    }
}
