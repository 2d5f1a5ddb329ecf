package dev.sensorhouse.stream.kinesis;

import com.amazonaws.ClientConfiguration;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.kinesis.AmazonKinesis;
import com.amazonaws.services.kinesis.AmazonKinesisClientBuilder;
import com.amazonaws.services.kinesis.model.PutRecordsRequest;
import com.amazonaws.services.kinesis.model.PutRecordsRequestEntry;
import com.amazonaws.services.kinesis.model.PutRecordsResult;
import com.amazonaws.services.kinesis.model.PutRecordsResultEntry;
import com.amazonaws.services.kinesis.model.ResourceNotFoundException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts records into a Kinesis stream with PutRecords: at most {@value #MAX_ENTRIES} entries and
 * {@value #MAX_REQUEST_BYTES} bytes per request; the entries a partially failed request rejected
 * (throttling, an emulator's internal error) are sent again, with a growing pause, up to
 * {@value #MAX_ATTEMPTS} times, then the put fails naming the error. AWS SDK v1 (the one the KCL 1.x
 * receiver already brings), default credential chain.
 */
public final class KinesisProducer implements AutoCloseable {
    public static final int MAX_ENTRIES = 500;
    public static final int MAX_REQUEST_BYTES = 5 * 1024 * 1024;
    static final int MAX_ATTEMPTS = 8;

    /** One record to put. */
    public record Entry(String partitionKey, String line) {}

    /** Where a put record landed. */
    public record Put(String shardId, String sequenceNumber) {}

    private final AmazonKinesis client;
    private final String stream;

    public KinesisProducer(String stream, String region, Optional<String> endpoint) {
        if (endpoint.isPresent()) {
            System.setProperty("com.amazonaws.sdk.disableCbor", "true");
        }
        AmazonKinesisClientBuilder builder = AmazonKinesisClientBuilder.standard()
                .withClientConfiguration(new ClientConfiguration().withMaxConnections(8));
        if (endpoint.isPresent()) {
            builder.withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint.get(), region));
        } else {
            builder.withRegion(region);
        }
        this.client = builder.build();
        this.stream = stream;
    }

    /** Creates the stream with {@code shards} shards unless it exists, and waits until it is ACTIVE. */
    public void createStreamIfMissing(int shards) {
        try {
            client.describeStream(stream);
        } catch (ResourceNotFoundException missing) {
            client.createStream(stream, shards);
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!"ACTIVE"
                .equals(client.describeStream(stream).getStreamDescription().getStreamStatus())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + stream + " is not ACTIVE after 60 s");
            }
            pause(100);
        }
    }

    /**
     * Puts {@code entries} in order, in requests of at most {@value #MAX_ENTRIES}; returns where each
     * landed, in the order given.
     */
    public List<Put> put(List<Entry> entries) {
        List<Put> out = new ArrayList<>(entries.size());
        int from = 0;
        while (from < entries.size()) {
            int to = from;
            long bytes = 0;
            while (to < entries.size() && to - from < MAX_ENTRIES) {
                long size = entries.get(to).line().length() * 3L
                        + entries.get(to).partitionKey().length();
                if (to > from && bytes + size > MAX_REQUEST_BYTES) {
                    break;
                }
                bytes += size;
                to++;
            }
            out.addAll(putBatch(entries.subList(from, to)));
            from = to;
        }
        return out;
    }

    private List<Put> putBatch(List<Entry> batch) {
        Put[] results = new Put[batch.size()];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            pending.add(i);
        }
        String lastError = null;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_ATTEMPTS) {
                throw new IllegalStateException("PutRecords to " + stream + ": " + pending.size()
                        + " records still rejected after " + MAX_ATTEMPTS + " attempts; last error: " + lastError);
            }
            List<PutRecordsRequestEntry> request = new ArrayList<>(pending.size());
            for (int i : pending) {
                Entry e = batch.get(i);
                request.add(new PutRecordsRequestEntry()
                        .withPartitionKey(e.partitionKey())
                        .withData(ByteBuffer.wrap(e.line().getBytes(StandardCharsets.UTF_8))));
            }
            PutRecordsResult result = client.putRecords(
                    new PutRecordsRequest().withStreamName(stream).withRecords(request));
            List<Integer> failed = new ArrayList<>();
            List<PutRecordsResultEntry> answers = result.getRecords();
            for (int k = 0; k < answers.size(); k++) {
                PutRecordsResultEntry a = answers.get(k);
                if (a.getErrorCode() != null) {
                    failed.add(pending.get(k));
                    lastError = a.getErrorCode() + ": " + a.getErrorMessage();
                } else {
                    results[pending.get(k)] = new Put(a.getShardId(), a.getSequenceNumber());
                }
            }
            pending = failed;
            if (!pending.isEmpty()) {
                pause(Math.min(2_000, 50L << Math.min(attempt, 6)));
            }
        }
        return List.of(results);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
