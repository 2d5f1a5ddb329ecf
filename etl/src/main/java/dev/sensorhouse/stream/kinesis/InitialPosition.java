package dev.sensorhouse.stream.kinesis;

import java.io.Serializable;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import org.apache.spark.streaming.kinesis.KinesisInitialPositions;
import org.apache.spark.streaming.kinesis.KinesisInputDStream;

/**
 * Where a new consumer starts in the stream ({@code --initial-position}): {@code LATEST} (records put
 * after it starts), {@code TRIM_HORIZON} (the oldest record kept) or {@code AT_TIMESTAMP} with
 * {@code --initial-timestamp}. Only for shards without a checkpoint: a restarted consumer resumes from
 * its checkpoint.
 */
public record InitialPosition(Kind kind, Instant timestamp) implements Serializable {
    public enum Kind {
        LATEST,
        TRIM_HORIZON,
        AT_TIMESTAMP
    }

    public static InitialPosition parse(String kind, String timestamp) {
        Kind k;
        try {
            k = Kind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--initial-position must be LATEST, TRIM_HORIZON or AT_TIMESTAMP, got '" + kind + "'");
        }
        if (k == Kind.AT_TIMESTAMP) {
            if (timestamp == null) {
                throw new IllegalArgumentException(
                        "--initial-position AT_TIMESTAMP needs --initial-timestamp (ISO-8601)");
            }
            try {
                return new InitialPosition(k, Instant.parse(timestamp));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "--initial-timestamp must be an ISO-8601 instant (2026-01-01T00:00:00Z), got '" + timestamp
                                + "'");
            }
        }
        if (timestamp != null) {
            throw new IllegalArgumentException("--initial-timestamp is only for --initial-position AT_TIMESTAMP");
        }
        return new InitialPosition(k, null);
    }

    /** Sets this position on the receiver's builder (its position type is not public in Java). */
    KinesisInputDStream.Builder applyTo(KinesisInputDStream.Builder builder) {
        return switch (kind) {
            case LATEST -> builder.initialPosition(new KinesisInitialPositions.Latest());
            case TRIM_HORIZON -> builder.initialPosition(new KinesisInitialPositions.TrimHorizon());
            case AT_TIMESTAMP -> builder.initialPosition(new KinesisInitialPositions.AtTimestamp(Date.from(timestamp)));
        };
    }

    @Override
    public String toString() {
        return kind == Kind.AT_TIMESTAMP ? "AT_TIMESTAMP " + timestamp : kind.name();
    }
}
