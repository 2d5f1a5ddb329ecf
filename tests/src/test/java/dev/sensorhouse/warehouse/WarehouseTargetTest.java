package dev.sensorhouse.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorhouse.warehouse.WarehouseTarget.Secrets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --warehouse}, {@code --dialect} and {@code --password-secret} into a target, with the password kept out of URLs and logs. */
class WarehouseTargetTest {
    private static final String REDSHIFT_URL =
            "jdbc:redshift://sensorhouse.abc123.eu-west-1.redshift.amazonaws.com:5439/dev";
    private static final String POSTGRES_URL = "jdbc:postgresql://localhost:5432/warehouse";
    private static final String PASSWORD = "s3cr3t-Pa55word";
    private static final Map<String, String> WITH_PASSWORD = Map.of(WarehouseTarget.PASSWORD_ENV, PASSWORD);
    private static final Secrets NO_SECRETS = id -> {
        throw new AssertionError("no secret should be read, asked for " + id);
    };

    @TempDir
    Path tmp;

    private static WarehouseTarget target(String url, Map<String, String> env) {
        return WarehouseTarget.of(url, Optional.empty(), Optional.empty(), env, NO_SECRETS);
    }

    private static WarehouseTarget withSecret(String url, String secretText) {
        return WarehouseTarget.of(url, Optional.empty(), Optional.of("prod/warehouse"), Map.of(), id -> {
            assertThat(id).isEqualTo("prod/warehouse");
            return secretText;
        });
    }

    @Test
    void redshiftUrlIsRedshift() {
        WarehouseTarget t = target(REDSHIFT_URL, WITH_PASSWORD);

        assertThat(t.dialect()).isEqualTo(Dialect.REDSHIFT);
        assertThat(t.url()).isEqualTo(REDSHIFT_URL);
        assertThat(t.duckDbFile()).isEmpty();
    }

    @Test
    void postgresqlUrlIsPostgres() {
        assertThat(target(POSTGRES_URL, WITH_PASSWORD).dialect()).isEqualTo(Dialect.POSTGRES);
    }

    @Test
    void aPlainPathIsADuckDbFileMadeAbsolute() {
        WarehouseTarget t = target("warehouse/../warehouse/sensorhouse.duckdb", Map.of());
        Path expected = Path.of("warehouse/sensorhouse.duckdb").toAbsolutePath().normalize();

        assertThat(t.dialect()).isEqualTo(Dialect.DUCKDB);
        assertThat(t.url()).isEqualTo("jdbc:duckdb:" + expected);
        assertThat(t.duckDbFile()).contains(expected);
        assertThat(t.duckDbFile().orElseThrow()).isAbsolute();
        assertThat(t.password()).as("an embedded file needs no password").isEmpty();
    }

    @Test
    void aDuckDbUrlIsADuckDbFile() {
        Path file = tmp.resolve("warehouse.duckdb");

        WarehouseTarget t = target("jdbc:duckdb:" + file, Map.of());

        assertThat(t.dialect()).isEqualTo(Dialect.DUCKDB);
        assertThat(t.duckDbFile()).contains(file);
        assertThat(t.duckDbFile().orElseThrow()).isAbsolute();
    }

    @Test
    void dialectOptionOverridesTheUrlsDialect() {
        WarehouseTarget t =
                WarehouseTarget.of(REDSHIFT_URL, Optional.of("postgres"), Optional.empty(), WITH_PASSWORD, NO_SECRETS);

        assertThat(t.dialect()).isEqualTo(Dialect.POSTGRES);
        assertThat(t.url()).isEqualTo(REDSHIFT_URL);
    }

    @Test
    void unknownDialectOptionIsRefusedNamingIt() {
        assertThatThrownBy(() -> WarehouseTarget.of(
                        POSTGRES_URL, Optional.of("oracle"), Optional.empty(), WITH_PASSWORD, NO_SECRETS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'oracle'");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                POSTGRES_URL + "?user=loader&password=hunter2",
                POSTGRES_URL + "?password=hunter2",
                REDSHIFT_URL + ";PASSWORD=hunter2",
            })
    void aPasswordInTheUrlIsRefusedSayingWhereItMustComeFrom(String url) {
        assertThatThrownBy(() -> target(url, WITH_PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the warehouse URL must not hold a password; set SENSORHOUSE_WAREHOUSE_PASSWORD or use --password-secret")
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest
    @ValueSource(strings = {REDSHIFT_URL, POSTGRES_URL})
    void aServerWithoutPasswordIsRefusedNamingTheVariable(String url) {
        assertThatThrownBy(() -> target(url, Map.of(WarehouseTarget.USER_ENV, "loader")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no password for " + url
                        + ": set SENSORHOUSE_WAREHOUSE_PASSWORD or use --password-secret ID (AWS Secrets Manager)");
    }

    @Test
    void passwordAndUserComeFromTheEnvironment() {
        WarehouseTarget t = target(
                POSTGRES_URL, Map.of(WarehouseTarget.PASSWORD_ENV, PASSWORD, WarehouseTarget.USER_ENV, "loader"));

        assertThat(t.password()).contains(PASSWORD);
        assertThat(t.user()).contains("loader");
    }

    @Test
    void userInTheUrlWinsOverTheEnvironment() {
        WarehouseTarget t = target(
                POSTGRES_URL + "?user=etl&ssl=true",
                Map.of(WarehouseTarget.PASSWORD_ENV, PASSWORD, WarehouseTarget.USER_ENV, "loader"));

        assertThat(t.user()).contains("etl");
    }

    @Test
    void jsonSecretGivesPasswordAndUser() {
        WarehouseTarget t = withSecret(REDSHIFT_URL, "{\"username\":\"u\",\"password\":\"p\"}");

        assertThat(t.password()).contains("p");
        assertThat(t.user()).contains("u");
    }

    @Test
    void plainTextSecretIsThePassword() {
        WarehouseTarget t = withSecret(POSTGRES_URL, PASSWORD);

        assertThat(t.password()).contains(PASSWORD);
        assertThat(t.user()).isEmpty();
    }

    @Test
    void jsonSecretWithoutPasswordIsRefusedNamingTheSecret() {
        assertThatThrownBy(() -> withSecret(POSTGRES_URL, "{\"username\":\"u\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret prod/warehouse has no \"password\"");
    }

    @Test
    void toStringShowsDialectUrlAndUserButNeverThePassword() {
        WarehouseTarget fromEnv = target(
                POSTGRES_URL, Map.of(WarehouseTarget.PASSWORD_ENV, PASSWORD, WarehouseTarget.USER_ENV, "loader"));
        WarehouseTarget fromSecret = withSecret(REDSHIFT_URL, "{\"username\":\"u\",\"password\":\"" + PASSWORD + "\"}");

        assertThat(fromEnv).hasToString("postgres " + POSTGRES_URL + " as loader");
        assertThat(fromSecret).hasToString("redshift " + REDSHIFT_URL + " as u");
        assertThat(fromEnv.toString() + fromSecret).doesNotContain(PASSWORD);
    }

    @Test
    void unknownUrlSchemeIsRefusedNamingIt() {
        assertThatThrownBy(() -> target("jdbc:mysql://localhost:3306/warehouse", WITH_PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "--warehouse 'jdbc:mysql://localhost:3306/warehouse' is not a jdbc:redshift://, jdbc:postgresql:// or jdbc:duckdb: URL, nor a DuckDB file path");
    }
}
