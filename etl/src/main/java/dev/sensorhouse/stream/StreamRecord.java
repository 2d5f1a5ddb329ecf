package dev.sensorhouse.stream;

import java.io.Serializable;

/**
 * One record of the stream as a source delivers it: where it sits in the stream (shard and sequence
 * number, together its identity: a redelivered record has the same pair), when the stream accepted it
 * (the approximate arrival time, epoch milliseconds, which decides its raw-zone arrival hour), its
 * partition key, and its data as the bytes of one raw line: exactly the record's bytes, except that CR
 * and LF bytes become spaces, which keeps a JSON document's meaning and the record one line. The bytes
 * are never decoded here, so a record that is not UTF-8 reaches the raw zone as it was sent, for cleanse
 * to quarantine with its bytes kept.
 */
public record StreamRecord(String shardId, String sequenceNumber, long arrivalMillis, String partitionKey, byte[] data)
        implements Serializable {

    /** The record's data as one raw line: CR and LF bytes become spaces (they occur in no other UTF-8 character). */
    public static byte[] line(byte[] data) {
        byte[] out = data;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n' || data[i] == '\r') {
                if (out == data) {
                    out = data.clone();
                }
                out[i] = ' ';
            }
        }
        return out;
    }

    public StreamRecord withShard(String shard) {
        return new StreamRecord(shard, sequenceNumber, arrivalMillis, partitionKey, data);
    }
}
