package dev.sensorhouse.cleanse;

import dev.sensorhouse.zones.HadoopConf;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.RawFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads raw files as numbered lines: one Spark task per file, each line kept verbatim with its file
 * (relative to the lake root), 1-based line number and arrival hour. Compressed files (.gz and the
 * other Hadoop codecs) are decompressed by their suffix. Spark's own text source cannot number lines,
 * which the quarantine needs for replay.
 */
public final class RawReader {
  /** The lines Dataset the validation consumes. Times are epoch microseconds. */
  public static final StructType LINES_SCHEMA =
      new StructType()
          .add("source_file", DataTypes.StringType, false)
          .add("source_line", DataTypes.LongType, false)
          .add("arrival_us", DataTypes.LongType, false)
          .add("raw_line", DataTypes.StringType, false);

  private RawReader() {}

  public static Dataset<Row> lines(Lake lake, List<RawFile> files) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(lake.spark().sparkContext());
    HadoopConf conf = new HadoopConf(lake.hadoopConf());
    String root = lake.root();
    JavaRDD<Row> rows =
        jsc.parallelize(new ArrayList<>(files), Math.max(1, files.size()))
            .flatMap(file -> new LineIterator(conf, root, file));
    return lake.spark().createDataFrame(rows, LINES_SCHEMA);
  }

  /** Streams one file's lines as rows, closing the file at its end. */
  private static final class LineIterator implements Iterator<Row> {
    private final RawFile file;
    private final long arrivalUs;
    private final BufferedReader reader;
    private String next;
    private long lineNo;

    LineIterator(HadoopConf conf, String root, RawFile file) throws IOException {
      this.file = file;
      this.arrivalUs = file.arrivalHour().getEpochSecond() * 1_000_000L;
      Path path = new Path(root + "/" + file.path());
      FileSystem fs = path.getFileSystem(conf.get());
      InputStream in = fs.open(path, 1 << 20);
      CompressionCodec codec = new CompressionCodecFactory(conf.get()).getCodec(path);
      if (codec != null) {
        in = codec.createInputStream(in);
      }
      this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 20);
      advance();
    }

    private void advance() {
      try {
        next = reader.readLine();
        if (next == null) {
          reader.close();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read raw file " + file.path() + " after line " + lineNo, e);
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Row next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      Row row = RowFactory.create(file.path(), ++lineNo, arrivalUs, next);
      advance();
      return row;
    }
  }
}
