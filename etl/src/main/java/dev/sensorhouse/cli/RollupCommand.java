package dev.sensorhouse.cli;

import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.rollup.RollupJob;
import dev.sensorhouse.rollup.RollupResult;
import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.zones.Lake;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/** {@code sensorhouse rollup}: cleansed readings to the hourly and daily aggregates. */
final class RollupCommand implements Command {
  @Override
  public String name() {
    return "rollup";
  }

  @Override
  public String summary() {
    return "aggregate cleansed readings by device, metric and hour, then day; only the buckets new data touched";
  }

  @Override
  public List<Option> options() {
    return CommonOptions.ROLLUP;
  }

  @Override
  public int run(Options o) {
    CommonOptions.existingLake(name(), o);
    RollupResult result = rollup(CommonOptions.rollupConfig(o), Main.argsOf(o));
    System.out.print(result.summary());
    return 0;
  }

  static RollupResult rollup(RollupConfig config, String args) {
    Lake lake = Lake.at(SparkSessions.getOrCreate("sensorhouse-rollup"), config.lake());
    return new RollupJob(lake, config, args).run();
  }

  /** The first {@code limit} hourly rows of one device (every metric), as a small text table. */
  static String hourlyTable(Lake lake, String deviceId, int limit) {
    List<Row> rows =
        lake.readingsHourly().read().filter(org.apache.spark.sql.functions.col("device_id").equalTo(deviceId))
            .orderBy("hour_start", "metric").limit(limit).collectAsList();
    StringBuilder s = new StringBuilder();
    String format = "%-20s  %-14s %6s %10s %10s %10s %10s%n";
    s.append(String.format(Locale.ROOT, format, "hour_start", "metric", "count", "min", "avg", "max", "stddev"));
    for (Row r : rows) {
      s.append(String.format(
          Locale.ROOT, format,
          r.<java.sql.Timestamp>getAs("hour_start").toInstant(), r.<String>getAs("metric"), r.<Long>getAs("value_count"),
          number(r.getAs("value_min")), number(r.getAs("value_avg")), number(r.getAs("value_max")), number(r.getAs("value_stddev"))));
    }
    return s.toString();
  }

  private static String number(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }
}
