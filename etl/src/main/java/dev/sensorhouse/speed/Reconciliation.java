package dev.sensorhouse.speed;

import dev.sensorhouse.warehouse.WarehouseTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares the two layers where both have figures: for every speed hour the batch has covered (before
 * the live view's watermark, so the view serves the batch row), the speed layer's count and sum against
 * the batch's ({@code reconcile.sql}). Counts must be equal; sums equal within
 * {@value #RELATIVE_TOLERANCE} of their size (the layers add in different orders). The usual cause of a
 * difference: readings the stream did not see (put before it started, or older than its 7 days) or
 * that arrived after the batch ran.
 */
public final class Reconciliation {
    static final double RELATIVE_TOLERANCE = 1e-9;
    private static final String SQL = sql();

    /** One compared hour; batch figures are null when the batch has no row. */
    public record Hour(
            String deviceId,
            String metric,
            LocalDateTime hourStart,
            long speedCount,
            Long batchCount,
            double speedSum,
            Double batchSum) {
        public boolean matches() {
            return batchCount != null
                    && batchCount == speedCount
                    && Math.abs(batchSum - speedSum) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(batchSum));
        }
    }

    /** The compared hours and those that differ. */
    public record Report(int hoursCompared, List<Hour> differences) {
        public String summary(int show) {
            StringBuilder s = new StringBuilder(String.format(
                    Locale.ROOT,
                    "reconcile: %,d speed hours covered by the batch, %,d equal, %,d differ%n",
                    hoursCompared,
                    hoursCompared - differences.size(),
                    differences.size()));
            differences.stream()
                    .limit(show)
                    .forEach(h -> s.append(String.format(
                            Locale.ROOT,
                            "  %s %s %s: speed count %d sum %.6f, batch %s%n",
                            h.deviceId(),
                            h.metric(),
                            h.hourStart(),
                            h.speedCount(),
                            h.speedSum(),
                            h.batchCount() == null
                                    ? "has no row"
                                    : String.format(Locale.ROOT, "count %d sum %.6f", h.batchCount(), h.batchSum()))));
            if (differences.size() > show) {
                s.append("  ... ").append(differences.size() - show).append(" more\n");
            }
            return s.toString();
        }
    }

    private Reconciliation() {}

    public static Report run(WarehouseTarget target) throws SQLException {
        List<Hour> differences = new ArrayList<>();
        int compared = 0;
        try (Connection c = target.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(SQL)) {
            while (rs.next()) {
                long batchCount = rs.getLong(5);
                boolean hasBatch = !rs.wasNull();
                Hour h = new Hour(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getObject(3, LocalDateTime.class),
                        rs.getLong(4),
                        hasBatch ? batchCount : null,
                        rs.getDouble(6),
                        hasBatch ? rs.getDouble(7) : null);
                compared++;
                if (!h.matches()) {
                    differences.add(h);
                }
            }
        }
        return new Report(compared, differences);
    }

    private static String sql() {
        String resource = "sensorhouse/speed/reconcile.sql";
        try (InputStream in = Reconciliation.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
