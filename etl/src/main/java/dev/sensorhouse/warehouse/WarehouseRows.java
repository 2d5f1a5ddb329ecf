package dev.sensorhouse.warehouse;

import static org.apache.spark.sql.functions.*;

import dev.sensorhouse.contract.MetricCatalog;
import dev.sensorhouse.warehouse.StarSchema.Column;
import dev.sensorhouse.warehouse.StarSchema.Table;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The pure transformations of a load: lake rows and lake changes into the rows a warehouse table
 * stages, i.e. the table's columns (each from its {@code from} expression, cast to its type) plus
 * {@link Dialect#DELETED}.
 */
public final class WarehouseRows {
    static final String CHANGE_TYPE = "_change_type";
    static final String COMMIT_VERSION = "_commit_version";

    private WarehouseRows() {}

    /** A whole source table as rows to stage (none deleted). */
    public static Dataset<Row> rows(Dataset<Row> source, Table t) {
        return project(source.withColumn(Dialect.DELETED, lit(false)), t);
    }

    /**
     * The net effect of a range of change-data-feed rows, per business key: the key's last change
     * (highest commit version; within a commit an insert or post-image wins over a delete or pre-image,
     * which is how Delta writes an update and a delete-then-insert). A key whose last change is a delete
     * or a pre-image is staged as deleted.
     */
    public static Dataset<Row> net(Dataset<Row> changes, Table t) {
        org.apache.spark.sql.Column after = col(CHANGE_TYPE).isin("insert", "update_postimage");
        org.apache.spark.sql.Column[] keys =
                t.key().stream().map(k -> expr(t.column(k).from())).toArray(org.apache.spark.sql.Column[]::new);
        Dataset<Row> last = changes.withColumn("_after", after)
                .withColumn(
                        "_n",
                        row_number()
                                .over(Window.partitionBy(keys)
                                        .orderBy(
                                                col(COMMIT_VERSION).desc(),
                                                col("_after").desc())))
                .filter(col("_n").equalTo(1))
                .withColumn(Dialect.DELETED, not(col("_after")));
        return project(last, t);
    }

    /** Change-data-feed rows of commits that only inserted: each row is new, nothing to net. */
    public static Dataset<Row> inserts(Dataset<Row> changes, Table t) {
        return project(changes.filter(col(CHANGE_TYPE).equalTo("insert")).withColumn(Dialect.DELETED, lit(false)), t);
    }

    /** The table's unknown member (key -1) as one staged row. */
    public static Dataset<Row> unknownMember(SparkSession spark, Table t) {
        List<org.apache.spark.sql.Column> columns = new ArrayList<>();
        for (Column c : t.columns()) {
            String value = t.unknownMember().get(c.name());
            columns.add(
                    (value == null ? lit(null) : lit(value)).cast(c.sparkType()).as(c.name()));
        }
        columns.add(lit(false).as(Dialect.DELETED));
        return spark.range(1).select(columns.toArray(org.apache.spark.sql.Column[]::new));
    }

    /** The metric catalog as dim_metric rows. */
    public static Dataset<Row> metrics(SparkSession spark, MetricCatalog catalog, Table t) {
        StructType schema = new StructType()
                .add("metric", DataTypes.StringType, false)
                .add("profile", DataTypes.StringType, false)
                .add("unit", DataTypes.StringType, false)
                .add("min_value", DataTypes.DoubleType, false)
                .add("max_value", DataTypes.DoubleType, false)
                .add("alert_low", DataTypes.DoubleType, true)
                .add("alert_high", DataTypes.DoubleType, true);
        List<Row> rows = new ArrayList<>();
        catalog.metrics()
                .values()
                .forEach(m -> rows.add(RowFactory.create(
                        m.name(), m.profile(), m.unit(), m.min(), m.max(), m.alertLow(), m.alertHigh())));
        return rows(spark.createDataFrame(rows, schema), t);
    }

    /** dim_date rows for a set of dates (a Dataset with one date column {@code date}). */
    public static Dataset<Row> calendar(Dataset<Row> dates, Table t) {
        return rows(dates.distinct(), t);
    }

    /** The table's columns from their {@code from} expressions, cast to their types, then {@code _deleted}. */
    static Dataset<Row> project(Dataset<Row> source, Table t) {
        List<org.apache.spark.sql.Column> columns = new ArrayList<>();
        for (Column c : t.columns()) {
            columns.add(expr(c.from()).cast(c.sparkType()).as(c.name()));
        }
        columns.add(col(Dialect.DELETED));
        return source.select(columns.toArray(org.apache.spark.sql.Column[]::new));
    }
}
