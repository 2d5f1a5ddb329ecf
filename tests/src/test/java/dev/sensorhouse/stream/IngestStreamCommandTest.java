package dev.sensorhouse.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sensorhouse.testing.ChildProcess;
import dev.sensorhouse.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ingest-stream}'s checks before it reads anything. */
class IngestStreamCommandTest {
    @TempDir
    java.nio.file.Path tmp;

    @Test
    void redisDownAtStartFailsAtOnceNamingRedis() {
        String url = "redis://127.0.0.1:" + ChildProcess.freePort();
        Cli.Outcome o = Cli.run("ingest-stream", "--lake", tmp.toString(), "--stream", "s", "--redis", url);
        assertThat(o.code()).as(o.describe()).isEqualTo(1);
        assertThat(o.err()).contains("Redis at " + url + " does not answer");
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        Cli.Outcome position =
                Cli.run("ingest-stream", "--lake", tmp.toString(), "--stream", "s", "--initial-position", "EARLIEST");
        assertThat(position.code()).isEqualTo(2);
        assertThat(position.err())
                .contains("--initial-position must be LATEST, TRIM_HORIZON or AT_TIMESTAMP, got 'EARLIEST'");
        Cli.Outcome stream = Cli.run("ingest-stream", "--lake", tmp.toString());
        assertThat(stream.code()).isEqualTo(2);
        assertThat(stream.err()).contains("--stream is required");
        Cli.Outcome redis =
                Cli.run("ingest-stream", "--lake", tmp.toString(), "--stream", "s", "--redis", "http://x:1");
        assertThat(redis.code()).isEqualTo(2);
        assertThat(redis.err()).contains("--redis must be redis://HOST:PORT");
    }
}
