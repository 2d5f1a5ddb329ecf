package dev.sensorhouse.simulate;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

/**
 * Where the simulator writes: files under a lake root, each written atomically. A reader never sees a
 * half-written file: the bytes go to a temporary name starting with {@code _} in the target folder
 * (Spark, Hadoop and the cleanse job skip such names) and are renamed into place when complete.
 *
 * <p>A root without a scheme or with {@code file:} is a local folder written with {@code java.nio}
 * (no Hadoop needed, no {@code .crc} side files). Any other scheme ({@code s3a://}, {@code s3://},
 * {@code hdfs://}) goes through Hadoop's {@code FileSystem} configured as the jobs' SparkSession is
 * ({@code core-site.xml} and the {@code spark.hadoop.fs.s3a.*} settings given to Spark). On S3 the rename
 * is a server-side copy; that is still atomic for readers because each object appears whole.
 */
public interface LakeOutput extends Closeable {

    /** Writes the content of one file; the stream is closed by the caller of the body. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code relativePath} (slash-separated, under the root) atomically, replacing any file of
     * that name. Returns the number of bytes written.
     */
    long write(String relativePath, Body body) throws IOException;

    /** The full location of {@code relativePath}, for messages and reports. */
    String location(String relativePath);

    /** Opens the lake root {@code lake}: a local folder, a {@code file:} URI or a Hadoop URI. */
    static LakeOutput open(String lake) throws IOException {
        String scheme = scheme(lake);
        if (scheme == null) {
            return new LocalLakeOutput(java.nio.file.Path.of(lake));
        }
        if (scheme.equals("file")) {
            return new LocalLakeOutput(java.nio.file.Path.of(URI.create(lake)));
        }
        return new HadoopLakeOutput(lake);
    }

    /** The URI scheme of {@code lake}, or null for a plain path (Windows drive letters included). */
    private static String scheme(String lake) {
        int colon = lake.indexOf(':');
        if (colon < 2) {
            return null;
        }
        for (int i = 0; i < colon; i++) {
            char c = lake.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                return null;
            }
        }
        return lake.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    }
}
