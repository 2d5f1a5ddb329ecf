package dev.sensorhouse.rollup;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.zones.Lake;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The seed use cases' analytics as Spark SQL over the lake: each query is a file in
 * {@code etl/src/main/resources/sensorhouse/analytics/} reading the views {@code readings_daily},
 * {@code readings_hourly} and {@code readings} (cleansed), which this class binds to the lake's tables;
 * thresholds and factors are bound parameters.
 *
 * <ul>
 *   <li>{@link #dailyTemperature()}: agriculture, daily min/avg/max temperature per device.
 *   <li>{@link #rapidAccelerations()}: vehicle, per device and year the acceleration readings above
 *       the catalog's {@code alert_high} (3.5 m/s2). A threshold count needs the readings, so it is
 *       counted on {@code cleansed/readings} rather than kept as an extra rollup column.
 *   <li>{@link #milesDriven()}: vehicle, per device and year the sum of each day's odometer
 *       max - min, km converted to miles.
 * </ul>
 *
 * <p>Danger: the views are session temporary views; two Analytics on different lakes in one session
 * rebind them, so run a query right after creating its Analytics.
 */
public final class Analytics {
    public static final double KM_PER_MILE = 1.609344;

    private final Lake lake;
    private final MetricCatalog catalog;

    public Analytics(Lake lake, MetricCatalog catalog) {
        this.lake = lake;
        this.catalog = catalog;
    }

    /** device_id, day, temperature_min, temperature_avg, temperature_max, readings. */
    public Dataset<Row> dailyTemperature() {
        return query("daily_temperature", Map.of());
    }

    /** device_id, year, rapid_accelerations, acceleration_readings. */
    public Dataset<Row> rapidAccelerations() {
        double threshold = catalog.metric("acceleration")
                .map(MetricCatalog.Metric::alertHigh)
                .orElseThrow(() -> new IllegalStateException("the metric catalog has no alert_high for acceleration"));
        return query("rapid_accelerations", Map.of("threshold", threshold));
    }

    /** device_id, year, miles, days_with_readings. */
    public Dataset<Row> milesDriven() {
        return query("miles_driven", Map.of("km_per_mile", KM_PER_MILE));
    }

    /** The text of {@code sensorhouse/analytics/NAME.sql}. */
    public static String sql(String name) {
        String resource = "sensorhouse/analytics/" + name + ".sql";
        try (InputStream in = Analytics.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("query " + resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private Dataset<Row> query(String name, Map<String, Object> parameters) {
        lake.readingsDaily().read().createOrReplaceTempView("readings_daily");
        lake.readingsHourly().read().createOrReplaceTempView("readings_hourly");
        lake.cleansedReadings().read().createOrReplaceTempView("readings");
        return lake.spark().sql(sql(name), parameters);
    }
}
