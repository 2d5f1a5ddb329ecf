package dev.sensorhouse.simulate;

import dev.sensorhouse.runtime.SparkSessions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@link LakeOutput} through Hadoop's {@code FileSystem} ({@code s3a://}, {@code s3://}, {@code hdfs://},
 * ...), configured as the jobs' SparkSession would be ({@link SparkSessions#hadoopConfiguration()}:
 * {@code core-site.xml}, {@code spark.hadoop.*} settings, {@code s3://} served by S3A). Only loaded for
 * such roots, so local runs do not need Hadoop on the classpath. Checksummed file systems
 * are unwrapped to their raw file system so no {@code .crc} side files appear in the raw zone.
 */
final class HadoopLakeOutput implements LakeOutput {
    private final Path root;
    private final FileSystem opened;
    private final FileSystem fs;

    HadoopLakeOutput(String lake) throws IOException {
        root = new Path(lake);
        opened = FileSystem.newInstance(URI.create(lake), SparkSessions.hadoopConfiguration());
        fs = opened instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : opened;
    }

    @Override
    public long write(String relativePath, Body body) throws IOException {
        Path target = new Path(root, relativePath);
        Path temporary = new Path(target.getParent(), "_" + target.getName() + ".inprogress");
        try {
            CountingOutputStream counter;
            try (OutputStream out = counter = new CountingOutputStream(fs.create(temporary, true, 1 << 18))) {
                body.writeTo(out);
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(temporary, target)) {
                throw new IOException("cannot rename " + temporary + " to " + target);
            }
            return counter.count();
        } finally {
            if (fs.exists(temporary)) {
                fs.delete(temporary, false);
            }
        }
    }

    @Override
    public String location(String relativePath) {
        return new Path(root, relativePath).toString();
    }

    @Override
    public void close() throws IOException {
        opened.close();
    }
}
