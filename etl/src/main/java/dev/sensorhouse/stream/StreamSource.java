package dev.sensorhouse.stream;

import java.io.Serializable;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * Where {@code ingest-stream} reads its records from: the one seam between the job and a stream
 * client. {@link dev.sensorhouse.stream.kinesis.KinesisReceiverSource} is the Kinesis Client Library
 * 1.x receiver of {@code spark-streaming-kinesis-asl}; KCL 1.x is end-of-life, and a KCL 2 / AWS SDK v2
 * source replaces it by implementing this interface, nothing else.
 *
 * <p>What a source must guarantee for the job's at-least-once delivery: each micro-batch's records of a
 * shard come in sequence order; a batch that Spark Streaming recovers from its checkpoint after a
 * crash yields the same records again (same shard, sequence numbers and data); and the source never
 * records progress (its own checkpoint) past records that are not yet durable in a way the recovered
 * batch can read them again. Sources are serialized into the Spark Streaming checkpoint.
 */
public interface StreamSource extends Serializable {
    /** Creates the stream of records on {@code ssc}; called once, when a new streaming context is built. */
    JavaDStream<StreamRecord> open(JavaStreamingContext ssc);

    /**
     * Sets what the source's client needs JVM-wide before any client is built (emulator endpoints);
     * called at every start, also when the stream is recovered from a checkpoint.
     */
    default void prepareJvm() {}

    /** One line for logs and the run record: the stream and where it is read from. */
    String describe();
}
