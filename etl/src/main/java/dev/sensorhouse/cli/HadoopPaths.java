package dev.sensorhouse.cli;

import dev.sensorhouse.runtime.SparkSessions;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;

/**
 * Files and folders named by a URI ({@code s3://…}, {@code s3a://…}), through Hadoop configured as the
 * jobs are. Apart from the option parsing so that the option classes load without Hadoop: Spark provides
 * it, and {@code java -cp sensorhouse.jar dev.sensorhouse.cli.Main COMMAND --help} runs on the jar alone.
 */
final class HadoopPaths {
    private HadoopPaths() {}

    static byte[] read(String uri) throws IOException {
        Path path = new Path(uri);
        try (InputStream in =
                path.getFileSystem(SparkSessions.hadoopConfiguration()).open(path)) {
            return in.readAllBytes();
        }
    }

    static boolean isDirectory(String uri) {
        Path path = new Path(uri);
        try {
            return path.getFileSystem(SparkSessions.hadoopConfiguration())
                    .getFileStatus(path)
                    .isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look up " + uri + ": " + e.getMessage(), e);
        }
    }
}
