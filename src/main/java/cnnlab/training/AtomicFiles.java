package cnnlab.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that are either there whole or not at all: written to a temporary file in the same folder,
 * then renamed over the target. A crash mid-write leaves the previous version intact, and a
 * reader never sees half a file.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** A new temporary file beside {@code target} (its folder is created when missing). */
    static Path tempFor(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    }

    /** Renames a finished temporary file over its target, readable by all. */
    static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes a text file atomically. */
    public static void writeString(Path target, String text) {
        try {
            Path tmp = tempFor(target);
            try {
                Files.writeString(tmp, text);
                publish(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
