package dev.sensorhouse.stream.kinesis;

import com.amazonaws.services.kinesis.metrics.interfaces.MetricsLevel;
import com.amazonaws.services.kinesis.model.Record;
import dev.sensorhouse.stream.StreamRecord;
import dev.sensorhouse.stream.StreamSource;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kinesis.KinesisBackedBlockRDDPartition;
import org.apache.spark.streaming.kinesis.KinesisInputDStream;
import org.apache.spark.streaming.kinesis.SequenceNumberRange;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Kinesis through {@code spark-streaming-kinesis-asl} 3.3.0 (a Spark Streaming receiver on the Kinesis
 * Client Library 1.12, AWS SDK v1). The KCL keeps its leases and checkpoints in a DynamoDB table named
 * after the application ({@code --checkpoint-app}).
 *
 * <p>How a record survives a crash: the receiver stores each batch of a shard's records as one Spark
 * block whose metadata is the shard's sequence-number range; the driver writes that metadata to the
 * write-ahead log in the Spark Streaming checkpoint before the receiver may count the records as
 * stored, and only stored records are checkpointed to DynamoDB (on the receiver's own timer). After a
 * crash, the restarted driver recovers the unfinished batches from the checkpoint and
 * {@code KinesisBackedBlockRDD} reads their ranges again from Kinesis (the blocks themselves died with
 * the executor); the new receiver resumes after the DynamoDB checkpoint. So a record is never lost
 * while it is within the stream's retention; it may be delivered twice (the DynamoDB checkpoint lags),
 * which the job's idempotent sinks absorb.
 *
 * <p>Partitions: every partition of a batch's RDD is one block, the records of one or more shard ranges
 * in the order of the block's ranges; the shard id, which KCL 1.x does not put on the record, is
 * taken from those ranges.
 *
 * @param dynamoDbEndpoint the KCL's DynamoDB endpoint, for emulators only (see {@link KclEndpoints});
 *     empty: the region's own
 */
public record KinesisReceiverSource(
        String streamName,
        String region,
        Optional<String> endpoint,
        Optional<String> dynamoDbEndpoint,
        InitialPosition initialPosition,
        String checkpointApp,
        long checkpointIntervalMillis)
        implements StreamSource {

    @Override
    public void prepareJvm() {
        dynamoDbEndpoint.ifPresent(dynamo -> KclEndpoints.redirectDynamoDb(region, dynamo, endpoint));
    }

    @Override
    public JavaDStream<StreamRecord> open(JavaStreamingContext ssc) {
        KinesisInputDStream<StreamRecord> input = initialPosition
                .applyTo(KinesisInputDStream.builder())
                .streamingContext(ssc)
                .streamName(streamName)
                .regionName(region)
                .endpointUrl(endpoint.orElse("https://kinesis." + region + ".amazonaws.com"))
                .checkpointAppName(checkpointApp)
                .checkpointInterval(new Duration(checkpointIntervalMillis))
                .storageLevel(StorageLevel.MEMORY_AND_DISK())
                .metricsLevel(MetricsLevel.NONE)
                .buildWithMessageHandler(new ToStreamRecord(), ClassTag$.MODULE$.apply(StreamRecord.class));
        return new JavaDStream<>(input, ClassTag$.MODULE$.apply(StreamRecord.class))
                .transform(KinesisReceiverSource::withShards);
    }

    /**
     * Puts each record's shard id on it. A partition is one block, and a block holds the records of
     * one or more shard ranges, in the order of its ranges, each range with its record count.
     */
    private static JavaRDD<StreamRecord> withShards(JavaRDD<StreamRecord> rdd) {
        List<List<String>> shardsOfPartition = new ArrayList<>();
        List<List<Integer>> countsOfPartition = new ArrayList<>();
        for (Partition p : rdd.rdd().partitions()) {
            List<String> shards = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            if (p instanceof KinesisBackedBlockRDDPartition k) {
                scala.collection.Iterator<SequenceNumberRange> ranges =
                        k.seqNumberRanges().ranges().iterator();
                while (ranges.hasNext()) {
                    SequenceNumberRange range = ranges.next();
                    shards.add(range.shardId());
                    counts.add(range.recordCount());
                }
            }
            shardsOfPartition.add(shards);
            countsOfPartition.add(counts);
        }
        return rdd.mapPartitionsWithIndex(
                (index, records) -> {
                    List<String> shards = shardsOfPartition.get(index);
                    List<Integer> counts = countsOfPartition.get(index);
                    List<StreamRecord> out = new ArrayList<>();
                    records.forEachRemaining(out::add);
                    int total = counts.stream().mapToInt(Integer::intValue).sum();
                    if (total != out.size()) {
                        throw new IllegalStateException("block of partition " + index + " has " + out.size()
                                + " records but its sequence ranges count " + total + " (" + shards + ")");
                    }
                    int at = 0;
                    for (int r = 0; r < shards.size(); r++) {
                        for (int k = 0; k < counts.get(r); k++, at++) {
                            out.set(at, out.get(at).withShard(shards.get(r)));
                        }
                    }
                    return out.iterator();
                },
                true);
    }

    @Override
    public String describe() {
        return "kinesis stream " + streamName + " (" + region
                + endpoint.map(e -> ", " + e).orElse("") + ", KCL application " + checkpointApp + ", from "
                + initialPosition + ")";
    }

    /** The KCL record as a {@link StreamRecord} (without its shard, added per partition). */
    private static final class ToStreamRecord extends AbstractFunction1<Record, StreamRecord> implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public StreamRecord apply(Record r) {
            byte[] data = new byte[r.getData().remaining()];
            r.getData().duplicate().get(data);
            long arrival = r.getApproximateArrivalTimestamp() == null
                    ? 0L
                    : r.getApproximateArrivalTimestamp().getTime();
            return new StreamRecord(null, r.getSequenceNumber(), arrival, r.getPartitionKey(), StreamRecord.line(data));
        }
    }
}
