package dev.sensorhouse.stream;

import java.io.Serializable;

/**
 * One record of the stream as a source delivers it: where it sits in the stream (shard and sequence
 * number, together its identity: a redelivered record has the same pair), when the stream accepted it
 * (the approximate arrival time, epoch milliseconds, which decides its raw-zone arrival hour), its
 * partition key, and its data as one line of text (UTF-8; CR and LF replaced by spaces, which keeps a
 * JSON document's meaning and keeps the record one raw line).
 */
public record StreamRecord(String shardId, String sequenceNumber, long arrivalMillis, String partitionKey, String line)
        implements Serializable {

    /** The record's data as one raw line: invalid UTF-8 becomes U+FFFD, CR and LF become spaces. */
    public static String line(byte[] data) {
        String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0
                ? text
                : text.replace('\n', ' ').replace('\r', ' ');
    }

    public StreamRecord withShard(String shard) {
        return new StreamRecord(shard, sequenceNumber, arrivalMillis, partitionKey, line);
    }
}
