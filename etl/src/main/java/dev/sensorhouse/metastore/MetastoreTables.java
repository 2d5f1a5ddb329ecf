package dev.sensorhouse.metastore;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.SessionCatalog;
import scala.Option;
import scala.Tuple2;

/**
 * Lake tables in the SparkSession's metastore: on AWS Glue the Glue Data Catalog (the job argument
 * {@code --enable-glue-datacatalog true}), elsewhere Hive's metastore ({@code
 * spark.sql.catalogImplementation=hive}; locally an embedded Derby database). Each table is registered
 * by name over its Delta location, and its catalog entry gets the parameter {@code table_type=DELTA},
 * which Athena needs to read it as a Delta table. Registering again changes nothing.
 */
public final class MetastoreTables {
    /** The catalog parameter Athena reads a Glue table's format from. */
    public static final String TABLE_TYPE = "table_type";

    private MetastoreTables() {}

    /**
     * Whether the session keeps its catalog beyond itself: an in-memory catalog (Spark's default without
     * Hive support) forgets every table when the session ends.
     */
    public static boolean persistent(SparkSession spark) {
        return "hive".equals(spark.conf().get("spark.sql.catalogImplementation", "in-memory"));
    }

    /** {@code CREATE DATABASE IF NOT EXISTS}. */
    public static void ensureDatabase(SparkSession spark, String database) {
        spark.sql("CREATE DATABASE IF NOT EXISTS " + quote(database));
    }

    /**
     * Registers the Delta table at {@code location} as {@code database.name} (when the name is free) and
     * sets {@code table_type=DELTA} on its catalog entry.
     *
     * @throws IllegalStateException when the name is taken by a table at another location
     */
    public static void register(SparkSession spark, String database, String name, String location) {
        spark.sql(String.format(
                "CREATE TABLE IF NOT EXISTS %s.%s USING delta LOCATION '%s'",
                quote(database), quote(name), location.replace("'", "\\'")));
        SessionCatalog catalog = spark.sessionState().catalog();
        TableIdentifier id = new TableIdentifier(name, Option.apply(database));
        CatalogTable t;
        try {
            t = catalog.getTableMetadata(id);
        } catch (org.apache.spark.sql.AnalysisException e) {
            throw new IllegalStateException("cannot read " + database + "." + name + " back from the metastore", e);
        }
        String registered = t.location().toString().replaceAll("/+$", "");
        if (!sameLocation(registered, location)) {
            throw new IllegalStateException(String.format(
                    "%s.%s is registered at %s, not at %s; drop it or choose another --database",
                    database, name, registered, location));
        }
        if (!"DELTA".equals(t.properties().getOrElse(TABLE_TYPE, () -> null))) {
            catalog.alterTable(withProperty(t, TABLE_TYPE, "DELTA"));
        }
    }

    /** The catalog entry with one more property; everything else as it was ({@code copy} with its defaults). */
    private static CatalogTable withProperty(CatalogTable t, String key, String value) {
        return t.copy(
                t.identifier(),
                t.tableType(),
                t.storage(),
                t.schema(),
                t.provider(),
                t.partitionColumnNames(),
                t.bucketSpec(),
                t.owner(),
                t.createTime(),
                t.lastAccessTime(),
                t.createVersion(),
                t.properties().$plus(new Tuple2<>(key, value)),
                t.stats(),
                t.viewText(),
                t.comment(),
                t.unsupportedFeatures(),
                t.tracksPartitionsInCatalog(),
                t.schemaPreservesCase(),
                t.ignoredProperties(),
                t.viewOriginalText());
    }

    private static boolean sameLocation(String registered, String location) {
        String a = registered.replaceFirst("^file:(//)?", "").replaceFirst("^s3a://", "s3://");
        String b = location.replaceFirst("^file:(//)?", "").replaceFirst("^s3a://", "s3://");
        return a.equals(b);
    }

    /** A catalog name in back-quotes; names are lower-case letters, digits and underscores. */
    static String quote(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,127}")) {
            throw new IllegalArgumentException("catalog name '" + name
                    + "' must be lower-case letters, digits and underscores, starting with a letter");
        }
        return "`" + name.toLowerCase(Locale.ROOT) + "`";
    }
}
