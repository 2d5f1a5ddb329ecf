package dev.sensorhouse.runtime;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import scala.collection.JavaConverters;
import scala.collection.immutable.Seq;

/** Column lists in the two forms Spark's Java API takes: a Column array, and a Scala Seq of names for joins. */
public final class Columns {
    private Columns() {}

    /** {@code col(name)} of each name. */
    public static Column[] of(List<String> names) {
        return names.stream().map(functions::col).toArray(Column[]::new);
    }

    /** The names as a Scala Seq, for {@code Dataset.join(other, usingColumns, joinType)}. */
    public static Seq<String> seq(List<String> names) {
        return JavaConverters.asScalaBuffer(names).toList();
    }
}
