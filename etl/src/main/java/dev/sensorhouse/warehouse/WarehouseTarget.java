package dev.sensorhouse.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a load goes: a JDBC URL, its dialect and its credentials.
 *
 * <ul>
 *   <li>{@code jdbc:redshift://HOST:PORT/DB} is Redshift, with TLS on unless the URL sets {@code ssl};
 *   <li>{@code jdbc:postgresql://HOST:PORT/DB} is PostgreSQL;
 *   <li>{@code jdbc:duckdb:FILE}, or a plain file path, is an embedded DuckDB file.
 * </ul>
 *
 * <p>{@code --dialect} overrides the dialect a URL implies (a PostgreSQL server reached through the
 * Redshift driver is {@code --dialect postgres}). The password comes from the environment
 * ({@value #PASSWORD_ENV}) or from AWS Secrets Manager ({@code --password-secret ID}: a JSON secret
 * with {@code password}, and optionally {@code username}, as Redshift's secrets have), never from the
 * URL or a file. The user comes from the URL's {@code user} parameter, {@value #USER_ENV}, or the
 * secret.
 */
public record WarehouseTarget(String url, Dialect dialect, Optional<String> user, Optional<String> password) {
    public static final String PASSWORD_ENV = "SENSORHOUSE_WAREHOUSE_PASSWORD";
    public static final String USER_ENV = "SENSORHOUSE_WAREHOUSE_USER";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Loads a secret's text; AWS Secrets Manager in production. */
    @FunctionalInterface
    public interface Secrets {
        String secret(String id);
    }

    public WarehouseTarget {
        if (url.toLowerCase(Locale.ROOT).matches(".*[?&;]password=.*")) {
            throw new IllegalArgumentException(
                    "the warehouse URL must not hold a password; set " + PASSWORD_ENV + " or use --password-secret");
        }
    }

    /**
     * The target for {@code --warehouse} (a JDBC URL or a DuckDB file path), {@code --dialect} (empty:
     * from the URL) and {@code --password-secret}.
     */
    public static WarehouseTarget of(
            String urlOrPath,
            Optional<String> dialect,
            Optional<String> passwordSecret,
            Map<String, String> env,
            Secrets secrets) {
        String url = urlOrPath.startsWith("jdbc:")
                ? urlOrPath
                : "jdbc:duckdb:" + Path.of(urlOrPath).toAbsolutePath().normalize();
        Dialect d = dialect.map(Dialect::of).orElseGet(() -> implied(url));
        if (d == Dialect.DUCKDB) {
            requireDuckDbDriver(url);
            return new WarehouseTarget(url, d, Optional.empty(), Optional.empty());
        }
        Optional<String> user = urlParameter(url, "user").or(() -> Optional.ofNullable(env.get(USER_ENV)));
        Optional<String> password = Optional.ofNullable(env.get(PASSWORD_ENV));
        if (passwordSecret.isPresent()) {
            String text = secrets.secret(passwordSecret.get());
            try {
                JsonNode secret = JSON.readTree(text);
                if (secret != null && secret.isObject()) {
                    password = Optional.ofNullable(secret.path("password").textValue());
                    user = user.or(
                            () -> Optional.ofNullable(secret.path("username").textValue()));
                } else {
                    password = Optional.of(text);
                }
            } catch (IOException notJson) {
                password = Optional.of(text);
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("secret " + passwordSecret.get() + " has no \"password\"");
            }
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("no password for " + url + ": set " + PASSWORD_ENV
                    + " or use --password-secret ID (AWS Secrets Manager)");
        }
        return new WarehouseTarget(url, d, user, password);
    }

    /** The dialect a JDBC URL implies. */
    static Dialect implied(String url) {
        if (url.startsWith("jdbc:redshift:")) {
            return Dialect.REDSHIFT;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return Dialect.POSTGRES;
        }
        if (url.startsWith("jdbc:duckdb:")) {
            return Dialect.DUCKDB;
        }
        throw new IllegalArgumentException("--warehouse '" + url
                + "' is not a jdbc:redshift://, jdbc:postgresql:// or jdbc:duckdb: URL, nor a DuckDB file path");
    }

    private static Optional<String> urlParameter(String url, String name) {
        int q = url.indexOf('?');
        if (q < 0) {
            return Optional.empty();
        }
        for (String pair : url.substring(q + 1).split("[&;]")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equalsIgnoreCase(name)) {
                return Optional.of(pair.substring(eq + 1));
            }
        }
        return Optional.empty();
    }

    /** The DuckDB file, for a DuckDB target. */
    public Optional<Path> duckDbFile() {
        return dialect == Dialect.DUCKDB
                ? Optional.of(Path.of(url.substring("jdbc:duckdb:".length())))
                : Optional.empty();
    }

    /** Opens a connection: credentials as properties, and TLS on for the Redshift driver unless the URL says otherwise. */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        user.ifPresent(u -> p.setProperty("user", u));
        password.ifPresent(pw -> p.setProperty("password", pw));
        if (url.startsWith("jdbc:redshift:") && urlParameter(url, "ssl").isEmpty()) {
            p.setProperty("ssl", "true");
        }
        duckDbFile().ifPresent(f -> {
            Path parent = f.toAbsolutePath().getParent();
            if (parent != null) {
                parent.toFile().mkdirs();
            }
        });
        return DriverManager.getConnection(url, p);
    }

    /**
     * The Glue jar leaves DuckDB out (a DuckDB file in a Glue job is lost when the job ends, and its
     * native libraries are large): a DuckDB target there is a usage error naming the alternatives.
     */
    private static void requireDuckDbDriver(String url) {
        try {
            Class.forName("org.duckdb.DuckDBDriver", false, WarehouseTarget.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--warehouse " + url
                    + ": this jar has no DuckDB driver (sensorhouse-glue.jar leaves it out: a DuckDB file in a Glue job"
                    + " is lost when the job ends); give a jdbc:redshift:// or jdbc:postgresql:// URL, or run"
                    + " sensorhouse.jar");
        }
    }

    /** The URL with nothing secret in it (it never holds a password). */
    @Override
    public String toString() {
        return dialect.label() + " " + url + user.map(u -> " as " + u).orElse("");
    }

    /** AWS Secrets Manager, with the SDK's default region and credential chains. */
    public static String secretsManager(String id) {
        try (var client = software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder()
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .build()) {
            return client.getSecretValue(b -> b.secretId(id)).secretString();
        }
    }
}
