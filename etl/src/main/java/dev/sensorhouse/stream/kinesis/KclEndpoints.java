package dev.sensorhouse.stream.kinesis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Points the KCL 1.x at DynamoDB emulation (dynalite), for tests and {@code demo --stream} only.
 *
 * <p>The Spark Kinesis receiver sets the Kinesis endpoint but has no DynamoDB endpoint option, so its
 * KCL talks to the region's DynamoDB. The AWS SDK v1 takes region metadata from a file named by the
 * system property {@code com.amazonaws.regions.RegionUtils.fileOverride}; this writes one that maps
 * the region's {@code dynamodb} (and {@code kinesis}, {@code monitoring}) to the emulator. The SDK only
 * accepts host names ending in {@code .amazonaws.com} there, and builds {@code https://} URLs from
 * them: the host is written as {@code 127.0.0.1:PORT/.amazonaws.com} (the suffix becomes a URL path,
 * which dynalite ignores), dynalite runs with {@code --ssl}, and certificate checks are off
 * ({@code com.amazonaws.sdk.disableCertChecking}). CBOR is off for the emulators
 * ({@code com.amazonaws.sdk.disableCbor}).
 *
 * <p>Danger: these are JVM-wide settings of the AWS SDK v1 (certificate checks off for every SDK v1
 * client of this JVM); they must never be set against real AWS. The job only sets them when
 * {@code --dynamodb-endpoint} is given, and the region metadata is read once per JVM, so they must be
 * set before the first SDK v1 client is built.
 */
public final class KclEndpoints {
    static final String OVERRIDE_PROPERTY = "com.amazonaws.regions.RegionUtils.fileOverride";

    private KclEndpoints() {}

    /** Writes the region override for {@code region} and sets the SDK v1 system properties. */
    public static synchronized void redirectDynamoDb(
            String region, String dynamoDbEndpoint, Optional<String> kinesisEndpoint) {
        URI dynamo = URI.create(dynamoDbEndpoint);
        if (!"https".equals(dynamo.getScheme()) || dynamo.getPort() < 0) {
            throw new IllegalArgumentException(
                    "--dynamodb-endpoint must be https://HOST:PORT (dynalite --ssl), got '" + dynamoDbEndpoint + "'");
        }
        String host = dynamo.getHost() + ":" + dynamo.getPort() + "/.amazonaws.com";
        String kinesisHost = kinesisEndpoint
                .map(URI::create)
                .map(u -> u.getHost() + ":" + u.getPort() + "/.amazonaws.com")
                .orElse(host);
        String xml = "<XmlFile>\n  <Regions>\n    <Region>\n      <Name>" + region + "</Name>\n"
                + endpoint("dynamodb", host) + endpoint("kinesis", kinesisHost) + endpoint("monitoring", host)
                + "    </Region>\n  </Regions>\n</XmlFile>\n";
        try {
            Path file = Files.createTempFile("sensorhouse-kcl-regions-", ".xml");
            Files.writeString(file, xml, StandardCharsets.UTF_8);
            file.toFile().deleteOnExit();
            System.setProperty(OVERRIDE_PROPERTY, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the KCL region override file", e);
        }
        System.setProperty("com.amazonaws.sdk.disableCertChecking", "true");
        System.setProperty("com.amazonaws.sdk.disableCbor", "true");
    }

    private static String endpoint(String service, String host) {
        return "      <Endpoint>\n        <ServiceName>" + service + "</ServiceName>\n        <Http>true</Http>\n"
                + "        <Https>true</Https>\n        <Hostname>" + host + "</Hostname>\n      </Endpoint>\n";
    }
}
