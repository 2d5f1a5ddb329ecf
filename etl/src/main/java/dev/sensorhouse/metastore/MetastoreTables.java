package dev.sensorhouse.metastore;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.CatalogStorageFormat;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.SessionCatalog;
import org.apache.spark.sql.hive.HiveExternalCatalog;
import org.apache.spark.sql.hive.client.HiveClient;
import scala.Option;
import scala.Tuple2;

/**
 * Lake tables in the SparkSession's metastore: on AWS Glue the Glue Data Catalog (the job argument
 * {@code --enable-glue-datacatalog true}), elsewhere Hive's metastore ({@code
 * spark.sql.catalogImplementation=hive}; locally an embedded Derby database). Each table is registered
 * by name over its Delta location, and its catalog entry gets its location and the parameter {@code
 * table_type=DELTA}, which Athena needs to read it as a Delta table. Registering again changes nothing.
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
        forAthena(spark, database, name, t.location());
    }

    /**
     * Spark keeps a Delta table's location in a storage parameter ({@code path}) and a placeholder as the
     * metastore entry's own location; Athena reads the entry's location and {@code table_type}. So the raw
     * entry (through Hive's client, below Spark's catalog, which would put the placeholder back) gets the
     * real location and {@code table_type=DELTA}; Spark's own parameters stay, so Spark still reads it as
     * its Delta table.
     */
    private static void forAthena(SparkSession spark, String database, String name, java.net.URI location) {
        if (!(spark.sharedState().externalCatalog().unwrapped() instanceof HiveExternalCatalog hive)) {
            throw new IllegalStateException(
                    "the session's catalog is not a metastore (spark.sql.catalogImplementation)");
        }
        HiveClient client = hive.client();
        CatalogTable raw = client.getTable(database, name);
        boolean located = raw.storage().locationUri().isDefined()
                && raw.storage().locationUri().get().equals(location);
        if (located && "DELTA".equals(raw.properties().getOrElse(TABLE_TYPE, () -> null))) {
            return;
        }
        CatalogStorageFormat storage = raw.storage()
                .copy(
                        Option.apply(location),
                        raw.storage().inputFormat(),
                        raw.storage().outputFormat(),
                        raw.storage().serde(),
                        raw.storage().compressed(),
                        raw.storage().properties());
        client.alterTable(
                database, name, copy(raw, storage, raw.properties().$plus(new Tuple2<>(TABLE_TYPE, "DELTA"))));
    }

    /** The entry with another storage and properties; everything else as it was. */
    private static CatalogTable copy(
            CatalogTable t, CatalogStorageFormat storage, scala.collection.immutable.Map<String, String> properties) {
        return t.copy(
                t.identifier(),
                t.tableType(),
                storage,
                t.schema(),
                t.provider(),
                t.partitionColumnNames(),
                t.bucketSpec(),
                t.owner(),
                t.createTime(),
                t.lastAccessTime(),
                t.createVersion(),
                properties,
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
