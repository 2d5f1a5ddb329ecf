package dev.sensorhouse.warehouse;

import dev.sensorhouse.warehouse.StarSchema.Table;
import java.sql.Connection;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Moves a batch of rows from Spark into a table's (empty, temporary) staging table, inside the load's
 * transaction. One implementation per way a warehouse takes bulk data: COPY FROM STDIN (PostgreSQL),
 * COPY from S3 Parquet with a manifest (Redshift), Parquet files read in place (DuckDB).
 */
interface Stager {
    /** Fills {@code Dialect.stage(t)} with {@code rows} (the table's columns and {@code _deleted}); returns the rows staged. */
    long stage(Connection connection, Table t, Dataset<Row> rows) throws Exception;

    /** After the load committed: removes what staging left outside the warehouse (files). */
    default void afterCommit() {}

    /** After the load rolled back. */
    default void afterRollback() {}
}
