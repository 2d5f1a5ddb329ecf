package dev.sensorhouse.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic run ids: {@code <job>-<16 hex digits>} from a SHA-256 of everything that decides a
 * run's output (its inputs and configuration). The same work gets the same id, so rows tagged with it
 * are identical when the work is redone.
 */
public final class RunIds {
    private RunIds() {}

    public static String of(String job, Iterable<String> parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(job.getBytes(StandardCharsets.UTF_8));
            for (String part : parts) {
                sha.update((byte) 0);
                sha.update(part.getBytes(StandardCharsets.UTF_8));
            }
            return job + "-" + HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
