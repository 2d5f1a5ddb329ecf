package dev.sensorhouse.warehouse;

import dev.sensorhouse.warehouse.StarSchema.Table;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Redshift's {@code COPY ... FORMAT AS PARQUET MANIFEST} of a staged batch, authorized by an IAM role
 * or by access keys from the environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
 * {@code AWS_SESSION_TOKEN}); never from a file or the command line. COPY takes no bound parameters,
 * so every value written into it is checked against a strict pattern first. Pure: tested against
 * expected text.
 */
public record RedshiftCopy(Optional<String> iamRole, Optional<Keys> keys) {
    private static final Pattern ROLE =
            Pattern.compile("^arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$");
    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9/+=]{1,2048}$");
    private static final Pattern S3_URL = Pattern.compile("^s3://[a-z0-9][a-z0-9.-]{1,62}/[A-Za-z0-9!_.*()/=-]+$");

    /** Access keys for COPY; {@code toString} hides them. */
    public record Keys(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        public Keys {
            for (String k : sessionToken.isPresent()
                    ? new String[] {accessKeyId, secretAccessKey, sessionToken.get()}
                    : new String[] {accessKeyId, secretAccessKey}) {
                if (!KEY.matcher(k).matches()) {
                    throw new IllegalArgumentException("AWS access keys for COPY must be letters, digits and / + =");
                }
            }
        }

        @Override
        public String toString() {
            return "Keys[" + accessKeyId + ", ***]";
        }
    }

    public RedshiftCopy {
        if (iamRole.isPresent() == keys.isPresent()) {
            throw new IllegalArgumentException(
                    "a Redshift COPY needs exactly one of --iam-role ARN or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment");
        }
        iamRole.ifPresent(r -> {
            if (!ROLE.matcher(r).matches()) {
                throw new IllegalArgumentException(
                        "--iam-role '" + r + "' is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)");
            }
        });
    }

    /** The role if given, otherwise the keys in the environment. */
    public static RedshiftCopy of(Optional<String> iamRole, Map<String, String> env) {
        if (iamRole.isPresent()) {
            return new RedshiftCopy(iamRole, Optional.empty());
        }
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id == null || secret == null) {
            throw new IllegalArgumentException(
                    "a Redshift load needs --iam-role ARN, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, for its COPY");
        }
        return new RedshiftCopy(
                Optional.empty(), Optional.of(new Keys(id, secret, Optional.ofNullable(env.get("AWS_SESSION_TOKEN")))));
    }

    /** The COPY of a manifest's Parquet files into a table's staging table. */
    public String copy(Table t, String manifestUrl) {
        if (!S3_URL.matcher(manifestUrl).matches()) {
            throw new IllegalArgumentException(
                    "COPY manifest '" + manifestUrl + "' is not an s3:// URL of plain characters");
        }
        StringBuilder s = new StringBuilder();
        s.append("COPY ").append(Dialect.stage(t)).append('\n');
        s.append("FROM '").append(manifestUrl).append("'\n");
        if (iamRole.isPresent()) {
            s.append("IAM_ROLE '").append(iamRole.get()).append("'\n");
        } else {
            Keys k = keys.get();
            s.append("ACCESS_KEY_ID '").append(k.accessKeyId()).append("'\n");
            s.append("SECRET_ACCESS_KEY '").append(k.secretAccessKey()).append("'\n");
            k.sessionToken()
                    .ifPresent(
                            token -> s.append("SESSION_TOKEN '").append(token).append("'\n"));
        }
        s.append("FORMAT AS PARQUET\nMANIFEST");
        return s.toString();
    }

    /** Hides the secret parts of a text (an error message that may quote the statement). */
    public String mask(String text) {
        String out = text == null ? "" : text;
        if (keys.isPresent()) {
            out = out.replace(keys.get().secretAccessKey(), "***");
            if (keys.get().sessionToken().isPresent()) {
                out = out.replace(keys.get().sessionToken().get(), "***");
            }
        }
        return out;
    }

    /** The newest load errors of files under a prefix; the one parameter is a LIKE pattern. */
    public static String loadErrorsQuery() {
        return "SELECT TRIM(filename), line_number, TRIM(colname), err_code, TRIM(err_reason) FROM stl_load_errors WHERE filename LIKE ? ORDER BY starttime DESC LIMIT 20";
    }

    /** The manifest Redshift reads: each file with its size (required for Parquet). */
    public static String manifest(java.util.List<Map.Entry<String, Long>> files) {
        StringBuilder s = new StringBuilder("{\"entries\": [");
        for (int i = 0; i < files.size(); i++) {
            Map.Entry<String, Long> f = files.get(i);
            s.append(i == 0 ? "\n" : ",\n");
            s.append("  {\"url\": \"")
                    .append(f.getKey())
                    .append("\", \"mandatory\": true, \"meta\": {\"content_length\": ")
                    .append(f.getValue())
                    .append("}}");
        }
        return s.append("\n]}\n").toString();
    }
}
