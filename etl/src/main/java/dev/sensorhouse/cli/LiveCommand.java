package dev.sensorhouse.cli;

import dev.sensorhouse.speed.SpeedReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code sensorhouse live}: a device's latest values and recent readings from the speed layer. */
final class LiveCommand implements Command {
    @Override
    public String name() {
        return "live";
    }

    @Override
    public String summary() {
        return "print a device's latest values and recent readings from the speed layer (Redis)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("device", "ID", null, "the device (required)"),
                Option.value("metric", "NAME", null, "only this metric (default: all)"),
                Option.value("since", "DURATION", "1h", "readings of this last stretch of time (up to 7d)"),
                IngestStreamCommand.REDIS);
    }

    @Override
    public int run(Options o) {
        String device = o.string("device");
        Duration since = o.duration("since");
        try (SpeedReader reader = new SpeedReader(IngestStreamCommand.redisUrl(o.string("redis")))) {
            Map<String, SpeedReader.Reading> latest = reader.latest(device);
            if (latest.isEmpty()) {
                System.out.println("device " + device + ": no readings in the speed layer");
                return 0;
            }
            System.out.println("device " + device + ": latest values");
            latest.forEach((m, r) -> System.out.printf(
                    Locale.ROOT, "  %-16s %14s  at %s%n", m, fmt(r.value()), Instant.ofEpochMilli(r.tsMillis())));
            long from = Instant.now().minus(since).toEpochMilli();
            List<SpeedReader.Reading> readings = reader.readings(device, o.optional("metric"), from);
            System.out.println("readings since " + Instant.ofEpochMilli(from) + ": " + readings.size());
            for (SpeedReader.Reading r : readings) {
                System.out.printf(
                        Locale.ROOT,
                        "  %s  %-16s %14s%n",
                        Instant.ofEpochMilli(r.tsMillis()),
                        r.metric(),
                        fmt(r.value()));
            }
        }
        return 0;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
