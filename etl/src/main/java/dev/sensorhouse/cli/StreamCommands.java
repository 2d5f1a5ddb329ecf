package dev.sensorhouse.cli;

import dev.sensorhouse.simulate.InjectionReport;
import dev.sensorhouse.simulate.SimulateConfig;
import dev.sensorhouse.simulate.Simulator;
import dev.sensorhouse.stream.kinesis.KinesisProducer;
import dev.sensorhouse.stream.kinesis.RawZonePublisher;
import dev.sensorhouse.zones.RawZone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The stream producer behind {@code simulate --to-kinesis}. */
final class StreamCommands {
    private StreamCommands() {}

    /**
     * Simulates into {@code --lake} (a scratch folder: its raw zone must not exist yet), then sends the
     * raw lines to the stream in arrival order at {@code --rate}; prints the injection report and what
     * was sent. The lines sent are exactly the file simulator's.
     */
    static int produce(SimulateConfig config, Options o) throws Exception {
        String stream = o.string("to-kinesis");
        double rate;
        try {
            rate = Double.parseDouble(o.string("rate"));
        } catch (NumberFormatException e) {
            throw new UsageException(
                    "simulate: --rate must be a number of records per second, got '" + o.string("rate") + "'");
        }
        Path events = Path.of(config.lake(), RawZone.EVENTS_DIR);
        if (Files.exists(events)) {
            throw new UsageException(
                    "simulate: with --to-kinesis, --lake is a scratch folder for the simulated files and must have no "
                            + RawZone.EVENTS_DIR + " yet; " + events + " exists");
        }
        InjectionReport report = new Simulator(config).run();
        long started = System.nanoTime();
        long sent;
        try (KinesisProducer producer = new KinesisProducer(stream, o.string("region"), o.optional("endpoint"))) {
            if (o.optional("shards").isPresent()) {
                producer.createStreamIfMissing(o.integer("shards"));
            }
            sent = new RawZonePublisher(producer, rate).publish(events);
        } catch (IllegalArgumentException e) {
            throw new UsageException("simulate: " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.print(report.summary());
        System.out.printf(
                Locale.ROOT,
                "sent %,d records to Kinesis stream %s in %.1f s (%,.0f records/s)%n",
                sent,
                stream,
                seconds,
                sent / seconds);
        return 0;
    }
}
