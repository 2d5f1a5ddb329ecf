package dev.sensorhouse.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server with pgbouncer in front of it, one per test JVM ({@link #shared()}),
 * started on first use and stopped by a shutdown hook. Warehouse-load tests reach it through both
 * drivers: the PostgreSQL driver straight to the server ({@link #postgresUrl}) and the Amazon
 * Redshift driver through pgbouncer ({@link #redshiftUrl}). Each test isolates itself in a database
 * of its own ({@link #createDatabase}).
 *
 * <p>Why pgbouncer: redshift-jdbc42 2.1.0.34 talks to PostgreSQL 15 only with {@code ssl=false},
 * md5 password authentication, and a pgbouncer that drops the startup parameters PostgreSQL rejects
 * ({@code driver_version}, {@code os_version}, ... see {@link #IGNORED_STARTUP_PARAMETERS}). Its
 * {@code DatabaseMetaData.getTables} fails on PostgreSQL: tests must not use JDBC metadata calls.
 *
 * <p>Start-up, in a fresh temp directory under {@code java.io.tmpdir}:
 *
 * <ol>
 *   <li>Find the binaries: initdb and pg_ctl in the newest {@code /usr/lib/postgresql/N/bin} (else on
 *       the PATH), pgbouncer on the PATH or in {@code /usr/sbin}; {@code tests/run.sh} installs them.
 *   <li>initdb a cluster whose superuser {@link #USER} has a random password, stored as an md5 hash.
 *   <li>Configure it: md5 for TCP on 127.0.0.1, trust on its own Unix socket (in the temp directory,
 *       which only the server's OS user can enter), a free port, durability off; start it with
 *       {@code pg_ctl -w}.
 *   <li>Start pgbouncer on another free port: md5 auth from an auth file, session pooling (loads use
 *       temp tables and long transactions), one wildcard database entry so databases created later
 *       need no restart.
 *   <li>Wait until both accept a login; on timeout, fail with the tail of the server's log.
 * </ol>
 *
 * <p>initdb, postgres and pgbouncer refuse to run as root: when this JVM runs as root (CI), they run
 * as the {@code postgres} OS user ({@code runuser -u postgres --}, the user the Debian package
 * creates) and the temp directory is given to that user, so {@code java.io.tmpdir} must be
 * reachable by it ({@code /tmp} is). The Debian package's own cluster (port 5432) plays no part.
 *
 * <p>Danger: a JVM killed with SIGKILL runs no shutdown hook and leaves both servers running and
 * its temp directory ({@code sensorhouse-pg-*}) behind; stop them with {@code pg_ctl -D DIR/data
 * stop} and {@code kill $(cat DIR/pgbouncer.pid)}.
 */
public final class PostgresServer {
    /** The superuser the tests log in as, through both drivers. */
    public static final String USER = "sensorhouse";

    /**
     * Startup parameters the Redshift driver sends that PostgreSQL rejects (pgbouncer's
     * {@code ignore_startup_parameters}); {@code extra_float_digits} is the PostgreSQL driver's.
     */
    static final String IGNORED_STARTUP_PARAMETERS =
            "extra_float_digits,driver_version,os_version,client_protocol_version,plugin_name,application_name";

    private static final String SERVER_OS_USER = "postgres";
    private static final boolean AS_ROOT = "root".equals(System.getProperty("user.name"));
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private static PostgresServer shared;
    private static Throwable sharedFailure;

    private final Path dir;
    private final Path data;
    private final Path bin;
    private final Path pgbouncer;
    private final String password;
    private final int postgresPort;
    private final int bouncerPort;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path dir, Path bin, Path pgbouncer, String password, int postgresPort, int bouncerPort) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.bin = bin;
        this.pgbouncer = pgbouncer;
        this.password = password;
        this.postgresPort = postgresPort;
        this.bouncerPort = bouncerPort;
    }

    /**
     * The server of this JVM, started on the first call (a few seconds); a failed start fails every
     * later call too, without retrying.
     */
    public static synchronized PostgresServer shared() {
        if (sharedFailure != null) {
            throw new IllegalStateException(
                    "the PostgreSQL test server failed to start earlier in this JVM", sharedFailure);
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (RuntimeException
                    | AssertionError e) { // AssertionError: a start-up command timed out (ChildProcess)
                sharedFailure = e;
                throw e;
            }
        }
        return shared;
    }

    private static PostgresServer start() {
        Path bin = postgresBin();
        Path pgbouncer = onPath("pgbouncer")
                .orElseThrow(
                        () -> new IllegalStateException(
                                "pgbouncer not found on the PATH or in /usr/sbin: install the Debian package pgbouncer (tests/run.sh does)"));
        Path dir;
        try {
            dir = Files.createTempDirectory("sensorhouse-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the PostgreSQL test directory", e);
        }
        int postgresPort = ChildProcess.freePort();
        int bouncerPort = ChildProcess.freePort();
        while (bouncerPort == postgresPort) {
            bouncerPort = ChildProcess.freePort();
        }
        PostgresServer server = new PostgresServer(dir, bin, pgbouncer, randomPassword(), postgresPort, bouncerPort);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-server-stop"));
        try {
            server.giveToServerUser(dir);
            server.initdb();
            server.startPostgres();
            server.startPgbouncer();
            server.awaitLogin(server.postgresUrl("postgres"), "postgres.log");
            server.awaitLogin("jdbc:postgresql://127.0.0.1:" + server.bouncerPort + "/postgres", "pgbouncer.log");
            return server;
        } catch (RuntimeException | Error e) {
            server.stop();
            throw e;
        }
    }

    /** initdb with the superuser's password as an md5 hash, which PostgreSQL stores as given (an initdb pwfile cannot set password_encryption). */
    private void initdb() {
        Path pwfile = writeServerFile("initdb.pw", md5Secret() + "\n");
        run(
                INITDB_TIMEOUT,
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                USER,
                "--pwfile=" + pwfile,
                "--auth-host=md5",
                "--auth-local=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync");
        try {
            Files.delete(pwfile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startPostgres() {
        // Durability off (fsync, synchronous_commit, full_page_writes): fine for a throw-away test cluster,
        // and much faster on a shared disk. A crash of the machine loses the cluster; nothing keeps it.
        append(
                data.resolve("postgresql.conf"),
                String.join(
                        "\n",
                        "",
                        "# sensorhouse test server",
                        "listen_addresses = '127.0.0.1'",
                        "port = " + postgresPort,
                        "unix_socket_directories = '" + dir + "'",
                        "password_encryption = md5",
                        "fsync = off",
                        "synchronous_commit = off",
                        "full_page_writes = off",
                        ""));
        overwrite(
                data.resolve("pg_hba.conf"),
                String.join(
                        "\n",
                        "# sensorhouse test server: trust on the Unix socket (only the server's OS user can reach it), md5 on TCP",
                        "local all all trust",
                        "host  all all 127.0.0.1/32 md5",
                        ""));
        run(
                START_TIMEOUT,
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                dir.resolve("postgres.log").toString(),
                "-w",
                "-t",
                Long.toString(START_TIMEOUT.toSeconds()),
                "start");
    }

    private void startPgbouncer() {
        writeServerFile("userlist.txt", "\"" + USER + "\" \"" + md5Secret() + "\"\n");
        Path ini = writeServerFile(
                "pgbouncer.ini",
                String.join(
                        "\n",
                        "[databases]",
                        "* = host=127.0.0.1 port=" + postgresPort,
                        "",
                        "[pgbouncer]",
                        "listen_addr = 127.0.0.1",
                        "listen_port = " + bouncerPort,
                        "unix_socket_dir =",
                        "auth_type = md5",
                        "auth_file = " + dir.resolve("userlist.txt"),
                        "pool_mode = session",
                        "ignore_startup_parameters = " + IGNORED_STARTUP_PARAMETERS,
                        "logfile = " + dir.resolve("pgbouncer.log"),
                        "pidfile = " + dir.resolve("pgbouncer.pid"),
                        ""));
        run(START_TIMEOUT, pgbouncer.toString(), "-d", ini.toString());
    }

    /** Logs in through {@code url} until it works; fails after {@link #START_TIMEOUT} with the last error and the log's tail. */
    private void awaitLogin(String url, String log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Connection c = connect(url);
                    Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "no login through " + url + " within " + START_TIMEOUT + ": " + e.getMessage() + "\n"
                                    + logTail(log),
                            e);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + url, e);
            }
        }
    }

    /**
     * Creates an empty database named {@code prefix} plus a number unique in this JVM, and returns the
     * name. {@code prefix}: lower-case letters, digits and underscores, starting with a letter.
     */
    public String createDatabase(String prefix) {
        if (!prefix.matches("[a-z][a-z0-9_]{0,47}")) {
            throw new IllegalArgumentException("database prefix must match [a-z][a-z0-9_]{0,47}, got '" + prefix + "'");
        }
        String name = prefix + "_" + databases.incrementAndGet();
        try (Connection c = connect(postgresUrl("postgres"));
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot create database " + name + ": " + e.getMessage() + "\n" + logTail("postgres.log"), e);
        }
        return name;
    }

    /** {@code db} straight on PostgreSQL, for the PostgreSQL driver. */
    public String postgresUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + db;
    }

    /** {@code db} through pgbouncer, for the Redshift driver (which needs {@code ssl=false} here). */
    public String redshiftUrl(String db) {
        return "jdbc:redshift://127.0.0.1:" + bouncerPort + "/" + db + "?ssl=false";
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    /** Opens {@code url} (either driver) as {@link #user()}; the credentials go as properties, never in the URL. */
    public Connection connect(String url) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", USER);
        credentials.setProperty("password", password);
        return DriverManager.getConnection(url, credentials);
    }

    /** Stops pgbouncer and PostgreSQL (immediate mode: the data is thrown away) and deletes the directory. Never throws. */
    private void stop() {
        try {
            Path pidfile = dir.resolve("pgbouncer.pid");
            if (Files.exists(pidfile)) {
                long pid = Long.parseLong(Files.readString(pidfile).trim());
                Optional<ProcessHandle> process = ProcessHandle.of(pid);
                if (process.isPresent()) {
                    process.get().destroy(); // SIGTERM: pgbouncer closes all connections and exits
                    try {
                        process.get().onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    } catch (ExecutionException | TimeoutException e) {
                        process.get().destroyForcibly();
                    } catch (InterruptedException e) {
                        process.get().destroyForcibly();
                        Thread.currentThread().interrupt();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot stop pgbouncer in " + dir + ": " + e);
        }
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run(
                        STOP_TIMEOUT,
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        data.toString(),
                        "-m",
                        "immediate",
                        "-w",
                        "stop");
            }
        } catch (RuntimeException | AssertionError e) {
            System.err.println("cannot stop PostgreSQL in " + dir + ": " + e);
        }
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }

    /** Runs a server binary as the server's OS user in {@link #dir}; fails with its output unless it exits 0. */
    private void run(Duration timeout, String... command) {
        List<String> cmd = new ArrayList<>();
        if (AS_ROOT) {
            cmd.addAll(List.of("runuser", "-u", SERVER_OS_USER, "--"));
        }
        cmd.addAll(List.of(command));
        try (ChildProcess p = ChildProcess.start(cmd, dir, Map.of())) {
            int exit = p.waitFor(timeout);
            if (exit != 0) {
                throw new IllegalStateException(Path.of(command[0]).getFileName() + " failed with exit " + exit + "\n"
                        + p.describe() + "\n" + logTail("postgres.log") + "\n" + logTail("pgbouncer.log"));
            }
        }
    }

    /** Writes a file in {@link #dir} that only the server's OS user (and root) can read. */
    private Path writeServerFile(String name, String content) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        giveToServerUser(file);
        return file;
    }

    /** Makes the server's OS user own {@code path} when this JVM runs as root (initdb and pgbouncer run as that user then). */
    private void giveToServerUser(Path path) {
        if (!AS_ROOT) {
            return;
        }
        try {
            UserPrincipal owner =
                    path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVER_OS_USER);
            Files.setOwner(path, owner);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot give " + path + " to the OS user " + SERVER_OS_USER
                            + " (installed by the Debian package postgresql)",
                    e);
        }
    }

    /** Appends to a file initdb wrote (its owner stays the server's OS user). */
    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    private static void overwrite(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The last lines of a log in {@link #dir}, for failure messages. */
    private String logTail(String log) {
        Path file = dir.resolve(log);
        try {
            List<String> lines =
                    Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of("(none yet)");
            return "---- " + log + " (last 30 lines):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n----";
        } catch (IOException e) {
            return "---- " + log + ": cannot read: " + e;
        }
    }

    /** The password as PostgreSQL and pgbouncer store it for md5 auth: "md5" + md5hex(password + user). */
    private String md5Secret() {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest((password + USER).getBytes(StandardCharsets.UTF_8));
            return "md5" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The newest /usr/lib/postgresql/N/bin holding initdb (Debian's layout), else the PATH directory of initdb. */
    private static Path postgresBin() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.filter(
                                v -> v.getFileName().toString().matches("\\d+")
                                        && Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(
                                v -> Integer.parseInt(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + debian, e);
            }
        }
        return onPath("initdb")
                .filter(initdb -> Files.isExecutable(initdb.resolveSibling("pg_ctl")))
                .map(Path::getParent)
                .orElseThrow(
                        () -> new IllegalStateException(
                                "initdb and pg_ctl not found in /usr/lib/postgresql/*/bin or on the PATH: install the Debian package postgresql (tests/run.sh does)"));
    }

    /** {@code name} on the PATH, or in /usr/sbin and /usr/local/sbin (often not on a non-root PATH). */
    private static Optional<Path> onPath(String name) {
        List<String> dirs =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin"));
        return dirs.stream()
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
