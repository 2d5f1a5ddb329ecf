package dev.sensorhouse.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazon.redshift.RedshiftConnection;
import dev.sensorhouse.testing.PostgresServer;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;

/**
 * The PostgreSQL test server ({@link PostgresServer}) serves what warehouse loads need through both
 * drivers: the PostgreSQL driver straight to the server, the Redshift driver through pgbouncer. Each
 * test works in a database of its own.
 */
class PostgresServerTest {
    private static final PostgresServer SERVER = PostgresServer.shared();
    private static final String CSV =
            "d1,2026-01-01 00:00:05,21.5\nd2,2026-01-01 00:00:10,19.25\nd3,2026-01-01 00:01:00,-3.0\n";
    private static final String CREATE_READINGS =
            "CREATE TABLE readings (device_id text NOT NULL, read_at timestamp NOT NULL, value double precision)";

    /** A driver, the URL it reaches the server by, and its own CopyManager. */
    enum Driver {
        POSTGRES {
            @Override
            String url(String db) {
                return SERVER.postgresUrl(db);
            }

            @Override
            long copyIn(Connection c, String sql, String csv) throws Exception {
                return c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(csv));
            }
        },
        REDSHIFT {
            @Override
            String url(String db) {
                return SERVER.redshiftUrl(db);
            }

            @Override
            long copyIn(Connection c, String sql, String csv) throws Exception {
                return c.unwrap(RedshiftConnection.class).getCopyAPI().copyIn(sql, new StringReader(csv));
            }
        };

        abstract String url(String db);

        abstract long copyIn(Connection c, String sql, String csv) throws Exception;
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void copyFromStdinLoadsCsvRows(Driver driver) throws Exception {
        String db = SERVER.createDatabase("copy_" + driver.name().toLowerCase());
        try (Connection c = SERVER.connect(driver.url(db))) {
            execute(c, CREATE_READINGS);
            long copied = driver.copyIn(c, "COPY readings FROM STDIN WITH (FORMAT csv)", CSV);

            assertThat(copied).isEqualTo(3);
            // ::text: the drivers render a double precision differently (PostgreSQL's -3, Redshift's -3.0)
            assertThat(rows(c, "SELECT device_id, read_at::text, value::text FROM readings ORDER BY device_id"))
                    .containsExactly(
                            "d1|2026-01-01 00:00:05|21.5", "d2|2026-01-01 00:00:10|19.25", "d3|2026-01-01 00:01:00|-3");
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void rolledBackLoadLeavesNoRowsAndCommittedLoadIsSeenByOtherSessions(Driver driver) throws Exception {
        String db = SERVER.createDatabase("tx_" + driver.name().toLowerCase());
        try (Connection load = SERVER.connect(driver.url(db));
                Connection reader = SERVER.connect(driver.url(db))) {
            execute(load, CREATE_READINGS);
            load.setAutoCommit(false);

            driver.copyIn(load, "COPY readings FROM STDIN WITH (FORMAT csv)", CSV);
            assertThat(count(load, "readings"))
                    .as("inside the open transaction")
                    .isEqualTo(3);
            assertThat(count(reader, "readings"))
                    .as("another session, before commit")
                    .isZero();
            load.rollback();
            assertThat(count(load, "readings")).as("after rollback").isZero();

            driver.copyIn(load, "COPY readings FROM STDIN WITH (FORMAT csv)", CSV);
            load.commit();
            assertThat(count(reader, "readings"))
                    .as("another session, after commit")
                    .isEqualTo(3);
        }
    }

    /** What a load does: a temp staging table, filled and merged by separate statements of one session (pgbouncer session pooling). */
    @ParameterizedTest
    @EnumSource(Driver.class)
    void tempTableSurvivesAcrossStatementsOfOneSession(Driver driver) throws Exception {
        String db = SERVER.createDatabase("temp_" + driver.name().toLowerCase());
        try (Connection c = SERVER.connect(driver.url(db))) {
            execute(c, CREATE_READINGS);
            execute(c, "CREATE TEMP TABLE stage_readings (LIKE readings)");
            driver.copyIn(c, "COPY stage_readings FROM STDIN WITH (FORMAT csv)", CSV);
            execute(c, "DELETE FROM stage_readings WHERE device_id = 'd3'");
            execute(c, "INSERT INTO readings SELECT * FROM stage_readings");

            assertThat(count(c, "stage_readings")).isEqualTo(2);
            assertThat(rows(c, "SELECT device_id FROM readings ORDER BY device_id"))
                    .containsExactly("d1", "d2");
        }
        try (Connection next = SERVER.connect(driver.url(db))) {
            assertThat(rows(next, "SELECT coalesce(to_regclass('pg_temp.stage_readings')::text, 'none')"))
                    .as("a new session (through pgbouncer: the same server connection, reset) has no such temp table")
                    .containsExactly("none");
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void wrongPasswordIsRefused(Driver driver) {
        Properties credentials = new Properties();
        credentials.setProperty("user", SERVER.user());
        credentials.setProperty("password", SERVER.password() + "-wrong");

        assertThatThrownBy(() -> DriverManager.getConnection(driver.url("postgres"), credentials)
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        return Long.parseLong(rows(c, "SELECT count(*) FROM " + table).get(0));
    }

    /** Each row's columns joined by '|'. */
    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(r.getString(i));
                }
                out.add(String.join("|", row));
            }
        }
        return out;
    }
}
