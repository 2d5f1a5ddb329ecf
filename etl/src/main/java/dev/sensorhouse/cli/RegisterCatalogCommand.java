package dev.sensorhouse.cli;

import dev.sensorhouse.metastore.MetastoreTables;
import dev.sensorhouse.metastore.SymlinkManifests;
import dev.sensorhouse.runtime.JobFailedException;
import dev.sensorhouse.runtime.Progress;
import dev.sensorhouse.runtime.SparkSessions;
import dev.sensorhouse.warehouse.Dialect;
import dev.sensorhouse.zones.Lake;
import dev.sensorhouse.zones.LakeTable;
import dev.sensorhouse.zones.TableContract;
import dev.sensorhouse.zones.WriterLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code sensorhouse register-catalog}: the lake's Delta tables in the session's metastore, for Athena
 * and Redshift Spectrum.
 *
 * <ol>
 *   <li>Creates the database if missing and registers each existing lake table as {@code
 *       DATABASE.<zone>_<table>} (e.g. {@code sensorhouse.cleansed_readings}) over its location, with the
 *       catalog parameter {@code table_type=DELTA} Athena reads (see {@link MetastoreTables}).
 *   <li>Makes each table keep symlink manifests current and regenerates them (see {@link
 *       SymlinkManifests}); a table with deletion vectors or column mapping on is refused, naming it.
 *   <li>Queries each table by its name and prints its row count: the summary.
 *   <li>With {@code --spectrum-schema}, prints Redshift Spectrum's external schema, tables and partitions
 *       over the manifests, rendered by {@link Dialect#REDSHIFT}.
 * </ol>
 *
 * <p>It holds the lake's writer lock (it commits the manifest property and writes manifests).
 * Registering again changes nothing but refreshes the manifests. The metastore must outlive the
 * session: on AWS Glue the Glue Data Catalog ({@code --enable-glue-datacatalog true}), elsewhere Hive's
 * (the default when Spark's Hive support is on the classpath; an embedded Derby database {@code
 * metastore_db} in the working folder unless {@code spark.hadoop.javax.jdo.option.ConnectionURL} says
 * otherwise).
 */
final class RegisterCatalogCommand implements Command {
    @Override
    public String name() {
        return "register-catalog";
    }

    @Override
    public String summary() {
        return "register the lake's Delta tables in the metastore (Glue Data Catalog or Hive) with symlink manifests for Redshift Spectrum";
    }

    @Override
    public List<Option> options() {
        return List.of(
                CommonOptions.LAKE,
                Option.value("database", "NAME", "sensorhouse", "metastore database the lake tables are registered in"),
                Option.value(
                        "spectrum-schema",
                        "NAME",
                        null,
                        "also print the Redshift Spectrum DDL: this external schema over the manifests"),
                Option.value(
                        "spectrum-database",
                        "NAME",
                        null,
                        "Glue database of the Spectrum tables (default: DATABASE_spectrum; not DATABASE, whose names the Delta tables hold)"),
                CommonOptions.IAM_ROLE,
                CommonOptions.LOCK_WAIT);
    }

    @Override
    public int run(Options o) {
        String root = CommonOptions.existingLake(name(), o);
        String database = o.string("database");
        Optional<String> spectrum = o.optional("spectrum-schema");
        if (spectrum.isPresent() && o.optional("iam-role").isEmpty()) {
            throw new UsageException(
                    name()
                            + ": --spectrum-schema needs --iam-role (the role Redshift Spectrum reads S3 and the catalog with)");
        }
        SparkSession spark = SparkSessions.withMetastore("sensorhouse-register-catalog");
        if (!MetastoreTables.persistent(spark)) {
            throw new UsageException(
                    name()
                            + ": this session's catalog is in memory and forgets every table when it ends; on AWS Glue give the job --enable-glue-datacatalog true, elsewhere spark.sql.catalogImplementation=hive with Spark's Hive support on the classpath (spark-submit and ./sensorhouse have it)");
        }
        Lake lake = Lake.at(spark, root).withLockWait(o.duration(CommonOptions.LOCK_WAIT.name()));
        List<String> statements = new ArrayList<>();
        spectrum.ifPresent(s -> statements.add(Dialect.REDSHIFT.createExternalSchema(
                s, o.optional("spectrum-database").orElse(database + "_spectrum"), o.string("iam-role"))));
        StringBuilder out = new StringBuilder();
        // It commits table properties and writes manifests: the lake's writer lock, like every writing job.
        try (WriterLock.Lease lock = lake.writerLock().acquire(name(), lake.lockWait(), new Progress(name())::note)) {
            MetastoreTables.ensureDatabase(spark, database);
            for (TableContract contract : contracts()) {
                LakeTable table = lake.table(contract);
                if (!table.exists()) {
                    continue;
                }
                String name = contract.table().replace('.', '_');
                MetastoreTables.register(spark, database, name, table.location());
                SymlinkManifests.keepCurrent(spark, database + "." + name, table.location());
                long rows = spark.table(database + "." + name).count();
                out.append(String.format(
                        Locale.ROOT,
                        "registered %s.%-28s %,12d rows  table_type=DELTA, manifests current  %s%n",
                        database,
                        name,
                        rows,
                        table.location()));
                if (spectrum.isPresent()) {
                    String manifests = table.location() + "/" + SymlinkManifests.FOLDER;
                    statements.addAll(Dialect.REDSHIFT.createExternalTable(
                            spectrum.get(), name, contract.schema(), contract.partitionColumns(), manifests));
                    for (Map.Entry<Map<String, String>, String> p : partitions(
                                    spark, manifests, contract.partitionColumns())
                            .entrySet()) {
                        statements.add(
                                Dialect.REDSHIFT.addExternalPartition(spectrum.get(), name, p.getKey(), p.getValue()));
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage(), e);
        } catch (WriterLock.LockedException e) {
            throw new JobFailedException(name() + ": " + e.getMessage(), e);
        }
        System.out.print(out);
        statements.forEach(s -> System.out.println(s + ";"));
        return 0;
    }

    /** Every lake table, in the order of the data flow. */
    static List<TableContract> contracts() {
        return List.of(
                TableContract.REGISTRY_CHANGES,
                TableContract.DEVICES,
                TableContract.LOCATIONS,
                TableContract.CLEANSED_READINGS,
                TableContract.QUARANTINE_EVENTS,
                TableContract.READINGS_HOURLY,
                TableContract.READINGS_DAILY,
                TableContract.JOB_RUNS);
    }

    /** The manifest folder of each partition ({@code col=value}, one level per partition column). */
    private static Map<Map<String, String>, String> partitions(
            SparkSession spark, String manifests, List<String> columns) {
        Map<Map<String, String>, String> out = new LinkedHashMap<>();
        if (columns.isEmpty()) {
            return out;
        }
        Path root = new Path(manifests);
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            collect(fs, root, columns, 0, new LinkedHashMap<>(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + manifests, e);
        }
        return out;
    }

    private static void collect(
            FileSystem fs,
            Path dir,
            List<String> columns,
            int level,
            Map<String, String> values,
            Map<Map<String, String>, String> out)
            throws IOException {
        if (level == columns.size()) {
            out.put(Map.copyOf(values), dir.toString());
            return;
        }
        FileStatus[] children = fs.exists(dir) ? fs.listStatus(dir) : new FileStatus[0];
        java.util.Arrays.sort(children);
        for (FileStatus child : children) {
            String folder = child.getPath().getName();
            String prefix = columns.get(level) + "=";
            if (child.isDirectory() && folder.startsWith(prefix)) {
                Map<String, String> next = new LinkedHashMap<>(values);
                next.put(columns.get(level), unescape(folder.substring(prefix.length())));
                collect(fs, child.getPath(), columns, level + 1, next, out);
            }
        }
    }

    /** A partition folder's value as Hive escapes it ({@code %3A} for {@code :} ...). */
    private static String unescape(String value) {
        return java.net.URLDecoder.decode(value.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
