package cnnlab.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers for verifying data files. */
final class Sha256 {
    private Sha256() {
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    /** Hex SHA-256 of {@code len} bytes of {@code b} from {@code off}. */
    static String of(byte[] b, int off, int len) {
        MessageDigest d = digest();
        d.update(b, off, len);
        return hex(d);
    }
}
