package dev.sensorhouse.cli;

import dev.sensorhouse.speed.SpeedReader;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code sensorhouse alerts}: the latest alerts of the speed layer. */
final class AlertsCommand implements Command {
    @Override
    public String name() {
        return "alerts";
    }

    @Override
    public String summary() {
        return "print the latest alerts of the speed layer (Redis stream sh:alerts)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("since", "DURATION", "1h", "alerts raised in this last stretch of time"),
                Option.value("limit", "N", "50", "at most this many, newest first"),
                IngestStreamCommand.REDIS);
    }

    @Override
    public int run(Options o) {
        long from = Instant.now().minus(o.duration("since")).toEpochMilli();
        try (SpeedReader reader = new SpeedReader(IngestStreamCommand.redisUrl(o.string("redis")))) {
            List<SpeedReader.Alert> alerts = reader.alerts(from, o.integer("limit"));
            System.out.println(alerts.size() + " alerts since " + Instant.ofEpochMilli(from));
            for (SpeedReader.Alert a : alerts) {
                Map<String, String> f = a.fields();
                System.out.printf(
                        Locale.ROOT,
                        "  %s  %-14s %-14s %-6s -> %-6s value %s threshold %s (event at %s)%n",
                        a.raisedAt(),
                        f.get("device_id"),
                        f.get("metric"),
                        f.get("previous_state"),
                        f.get("state"),
                        f.get("value"),
                        f.get("threshold"),
                        Instant.ofEpochMilli(Long.parseLong(f.get("event_ts"))));
            }
        }
        return 0;
    }
}
