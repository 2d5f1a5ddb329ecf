package dev.sensorhouse.stream.kinesis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Sends a local raw zone's lines to a Kinesis stream, in arrival order (arrival-hour folders, then
 * file names, then lines), at a fixed rate: what {@code simulate --to-kinesis} does with the
 * simulator's output, so the stream carries the same devices and faults as the files would. The
 * partition key is the line's device id (so each device's records stay in order on one shard), or
 * {@value #NO_DEVICE} for a line without a readable one.
 */
public final class RawZonePublisher {
    static final String NO_DEVICE = "no-device-id";
    private static final Pattern DEVICE = Pattern.compile("\"device_id\"\\s*:\\s*\"([^\"]{1,256})\"");

    private final KinesisProducer producer;
    private final double ratePerSecond;

    public RawZonePublisher(KinesisProducer producer, double ratePerSecond) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException(
                    "--rate must be a positive number of records per second, got " + ratePerSecond);
        }
        this.producer = producer;
        this.ratePerSecond = ratePerSecond;
    }

    /** The partition key of a raw line: its device id, or {@value #NO_DEVICE}. */
    public static String partitionKey(String line) {
        Matcher m = DEVICE.matcher(line);
        return m.find() ? m.group(1) : NO_DEVICE;
    }

    /** Publishes every line of the raw event files under {@code eventsDir}; returns the records sent. */
    public long publish(Path eventsDir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(eventsDir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("_")
                            && !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
        long sent = 0;
        long started = System.nanoTime();
        List<KinesisProducer.Entry> chunk = new ArrayList<>(KinesisProducer.MAX_ENTRIES);
        for (Path file : files) {
            try (InputStream raw = Files.newInputStream(file);
                    InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    chunk.add(new KinesisProducer.Entry(partitionKey(line), line));
                    if (chunk.size() == KinesisProducer.MAX_ENTRIES) {
                        sent += send(chunk, sent, started);
                    }
                }
            }
        }
        if (!chunk.isEmpty()) {
            sent += send(chunk, sent, started);
        }
        return sent;
    }

    /** Waits until the rate allows the chunk, sends it and empties it. */
    private int send(List<KinesisProducer.Entry> chunk, long sentBefore, long started) {
        long due = started + (long) ((sentBefore + chunk.size()) / ratePerSecond * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing", e);
            }
        }
        producer.put(chunk);
        int n = chunk.size();
        chunk.clear();
        return n;
    }
}
