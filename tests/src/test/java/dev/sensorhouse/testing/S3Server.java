package dev.sensorhouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * A real S3-compatible server for tests: s3proxy with its filesystem backend, so Spark and Hadoop
 * can read and write {@code s3a://bucket/prefix} through the same client code as on AWS.
 *
 * <p>One server per test JVM ({@link #shared()}), started on first use and killed by a shutdown
 * hook, which also deletes its data folder. It runs as its own JVM from
 * {@code tests/target/s3proxy/s3proxy.jar} (s3proxy's {@code jar-with-dependencies}, copied there
 * by the maven-dependency-plugin; the path comes from the {@code s3proxy.jar} system property that
 * surefire sets): its Jetty 12, jclouds and Jackson must never meet Spark's on one classpath.
 *
 * <p>Start-up:
 *
 * <ol>
 *   <li>pick a free port on 127.0.0.1 and a data folder under {@code java.io.tmpdir};
 *   <li>write {@code s3proxy.conf} (filesystem provider, AWS v2/v4 signatures, a fixed identity
 *       and credential) and start {@code java -jar s3proxy.jar --properties s3proxy.conf};
 *   <li>poll the endpoint until it answers HTTP (any status: anonymous requests get 403), for at
 *       most {@link #START_TIMEOUT}; fail with the server's log tail if it exits or does not answer.
 * </ol>
 *
 * <p>Danger: buckets live for the whole JVM; each test takes its own through {@link
 * #createBucket(String)} so tests never see each other's objects. {@link #configure} changes the
 * shared SparkSession's Hadoop configuration, which every later s3a access uses.
 */
public final class S3Server {
    /** How long s3proxy may take to answer after its JVM starts (it takes about a second). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final String IDENTITY = "sensorhouse-test";
    private static final String CREDENTIAL = "sensorhouse-test-secret";
    private static final String REGION = "us-east-1";
    private static final Pattern BUCKET_PREFIX = Pattern.compile("[a-z0-9][a-z0-9-]{1,40}");
    private static final int LOG_TAIL_LINES = 40;

    private static S3Server shared;

    private final ChildProcess process;
    private final Path folder;
    private final String endpoint;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger buckets = new AtomicInteger();

    private S3Server(ChildProcess process, Path folder, String endpoint) {
        this.process = process;
        this.folder = folder;
        this.endpoint = endpoint;
    }

    /** The server of this JVM, started on first call. */
    public static synchronized S3Server shared() {
        if (shared == null) {
            shared = start();
            S3Server server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "s3proxy-stop"));
        }
        return shared;
    }

    /** {@code http://127.0.0.1:PORT}, for {@code fs.s3a.endpoint}. */
    public String endpoint() {
        return endpoint;
    }

    /** The access key (s3proxy's identity). */
    public String accessKey() {
        return IDENTITY;
    }

    /** The secret key (s3proxy's credential). */
    public String secretKey() {
        return CREDENTIAL;
    }

    /**
     * Creates a new, empty bucket whose name starts with {@code prefix} (lower-case letters, digits
     * and hyphens) and returns its name; each call gives a name not used before in this JVM.
     */
    public String createBucket(String prefix) {
        if (!BUCKET_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "bucket prefix must be 2 to 41 lower-case letters, digits or hyphens, starting with a letter or digit; got '"
                            + prefix + "'");
        }
        String bucket = prefix + "-" + buckets.incrementAndGet();
        HttpResponse<String> response = send(signedV2("PUT", "/" + bucket));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("s3proxy refused to create bucket " + bucket + ": HTTP "
                    + response.statusCode() + " " + response.body() + "\n" + logTail());
        }
        return bucket;
    }

    /** Sets the {@code fs.s3a.*} options that point s3a at this server. */
    public void configure(Configuration conf) {
        conf.set("fs.s3a.endpoint", endpoint);
        conf.set("fs.s3a.endpoint.region", REGION);
        conf.set("fs.s3a.path.style.access", "true");
        conf.set("fs.s3a.connection.ssl.enabled", "false");
        conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        conf.set("fs.s3a.access.key", IDENTITY);
        conf.set("fs.s3a.secret.key", CREDENTIAL);
    }

    /**
     * What a Sensorhouse process needs to use this server as a user would give it: the endpoint settings
     * as Spark settings ({@code spark.hadoop.fs.s3a.*}, what {@code SENSORHOUSE_SPARK_CONF} or
     * {@code --conf} carry; no credentials among them).
     */
    public Map<String, String> sparkSettings() {
        return Map.of(
                "spark.hadoop.fs.s3a.endpoint",
                endpoint,
                "spark.hadoop.fs.s3a.endpoint.region",
                REGION,
                "spark.hadoop.fs.s3a.path.style.access",
                "true",
                "spark.hadoop.fs.s3a.connection.ssl.enabled",
                "false");
    }

    /**
     * The server's identity as the AWS SDK's default credential chain reads it from the environment
     * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}), with the region, and with the
     * instance metadata service off so that nothing looks beyond this machine; a null value removes
     * a variable the caller's environment may set (a profile, a session token).
     */
    public Map<String, String> credentialEnvironment() {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", IDENTITY);
        env.put("AWS_SECRET_ACCESS_KEY", CREDENTIAL);
        env.put("AWS_REGION", REGION);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_SESSION_TOKEN", null);
        env.put("AWS_PROFILE", null);
        return env;
    }

    /** {@link #configure(Configuration)} on the session's Hadoop configuration. */
    public void configure(SparkSession spark) {
        configure(spark.sparkContext().hadoopConfiguration());
    }

    /** The last lines the server printed, for failure messages. */
    public String logTail() {
        List<String> lines = new ArrayList<>(process.stdout().lines().toList());
        lines.addAll(process.stderr().lines().toList());
        List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        return "---- s3proxy (" + (process.isAlive() ? "running" : "exited") + ") log tail:\n" + String.join("\n", tail)
                + "\n----";
    }

    private static S3Server start() {
        Path jar = s3proxyJar();
        try {
            Path dir = Files.createTempDirectory("s3proxy-");
            Path data = Files.createDirectories(dir.resolve("data"));
            int port = ChildProcess.freePort();
            String endpoint = "http://127.0.0.1:" + port;
            Path conf = dir.resolve("s3proxy.conf");
            Files.writeString(
                    conf,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=" + endpoint,
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + IDENTITY,
                            "s3proxy.credential=" + CREDENTIAL,
                            "jclouds.provider=filesystem",
                            "jclouds.filesystem.basedir=" + data,
                            ""));
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    jar.toString(),
                    "--properties",
                    conf.toString());
            S3Server server = new S3Server(ChildProcess.start(command, dir, Map.of()), dir, endpoint);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare s3proxy's folder", e);
        }
    }

    private static Path s3proxyJar() {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "no s3proxy jar at " + jar.toAbsolutePath()
                            + "; the tests module's build copies it there (mvn -pl tests process-test-classes), and surefire passes its path as -Ds3proxy.jar");
        }
        return jar;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(endpoint + "/"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        while (true) {
            if (!process.isAlive()) {
                process.waitFor(Duration.ofSeconds(10));
                throw new IllegalStateException("s3proxy exited while starting at " + endpoint + "\n" + logTail());
            }
            try {
                http.send(probe, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                // listening but not answering yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while waiting for s3proxy", e);
            }
            if (System.nanoTime() > deadline) {
                String tail = logTail();
                stop();
                throw new IllegalStateException(
                        "s3proxy did not answer at " + endpoint + " within " + START_TIMEOUT + "\n" + tail);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while waiting for s3proxy", e);
            }
        }
    }

    /**
     * A request signed with AWS signature version 2 (enough for s3proxy's {@code aws-v2-or-v4}): an
     * HMAC-SHA1 over method, empty Content-MD5 and Content-Type, the date and the resource.
     */
    private HttpRequest signedV2(String method, String resource) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String stringToSign = method + "\n\n\n" + date + "\n" + resource;
        String signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(CREDENTIAL.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            signature = Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
        return HttpRequest.newBuilder(URI.create(endpoint + resource))
                .timeout(Duration.ofSeconds(30))
                .header("Date", date)
                .header("Authorization", "AWS " + IDENTITY + ":" + signature)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "s3proxy at " + endpoint + " did not answer " + request.method() + " " + request.uri() + "\n"
                            + logTail(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to s3proxy", e);
        }
    }

    /** Kills the server and deletes its data; the shutdown hook calls this. */
    private void stop() {
        process.close();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }
}
