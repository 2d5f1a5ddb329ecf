package dev.sensorhouse.dimensions;

import dev.sensorhouse.zones.TableContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A dimension's versions recomputed from its change log: each item's changes are folded into its
 * whole history by {@link History}, in a Spark task per group of items. Pure: the stored changes in,
 * the rows of {@code dims/device} or {@code dims/location} out.
 */
final class Versions {
    private Versions() {}

    /**
     * The versions of the items whose changes are given ({@code dims/registry_changes} rows of one
     * entity), in the shape of the entity's dimension table.
     */
    static Dataset<Row> of(Entity entity, Dataset<Row> changes, NullRule nulls) {
        Dimension dimension = Dimension.of(entity);
        TableContract contract = Dimension.contract(entity);
        JavaRDD<Row> versions = changes.select("natural_key", "change_id", "effective_at", "op", "attributes", "source")
                .javaRDD()
                .groupBy(r -> r.getString(0))
                .flatMap(group -> rows(dimension, group._1(), group._2(), nulls).iterator());
        return changes.sparkSession().createDataFrame(versions, contract.schema());
    }

    /** One item's history as dimension rows. */
    static List<Row> rows(Dimension dimension, String naturalKey, Iterable<Row> changeRows, NullRule nulls) {
        List<History.Change> changes = new ArrayList<>();
        for (Row r : changeRows) {
            long micros = History.micros(r.getTimestamp(2));
            Map<String, String> attributes =
                    r.isNullAt(4) ? Map.of() : new LinkedHashMap<>(r.<String, String>getJavaMap(4));
            changes.add(new History.Change(r.getString(1), micros, Op.of(r.getString(3)), attributes, r.getString(5)));
        }
        List<Row> out = new ArrayList<>();
        for (History.Version v : History.of(dimension, naturalKey, changes, nulls)) {
            Object[] values = new Object[dimension.tracked().size() + 8];
            int i = 0;
            values[i++] = v.key();
            values[i++] = naturalKey;
            for (Object t : v.tracked()) {
                values[i++] = t;
            }
            values[i++] = v.hash();
            values[i++] = History.timestamp(v.validFromMicros());
            values[i++] = History.timestamp(v.validToMicros());
            values[i++] = v.current();
            values[i++] = v.source();
            values[i++] = v.changeId();
            out.add(RowFactory.create(values));
        }
        return out;
    }
}
