package cnnlab;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that are either there whole or not at all: written to a temporary file in the same folder,
 * then renamed over the target. A crash mid-write leaves the previous version intact, and a
 * reader never sees half a file. Also the one check of output folders that every command runs before
 * it starts work ({@link #requireWritableFolder}).
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content of a file given its (temporary) path. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path tmp) throws IOException;
    }

    /** A new temporary file beside {@code target} (its folder is created when missing). */
    public static Path tempFor(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    }

    /** Renames a finished temporary file over its target, readable by all. */
    public static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Writes {@code target} atomically: {@code content} writes a temporary file beside it, which is
     * then renamed over it; on any failure the temporary file is removed and {@code target} is as before.
     *
     * @throws UserError naming the file and the reason (e.g. no space left on device)
     */
    public static void write(Path target, Content content) {
        Path tmp = null;
        try {
            if (Files.isDirectory(target)) {
                throw new UserError("cannot write " + target + ": it is a folder");
            }
            tmp = tempFor(target);
            content.writeTo(tmp);
            publish(tmp, target);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserError("cannot write " + target + ": " + reason(e), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Writes a text file atomically. */
    public static void writeString(Path target, String text) {
        write(target, tmp -> Files.writeString(tmp, text));
    }

    /** Writes a byte array atomically. */
    public static void writeBytes(Path target, byte[] bytes) {
        write(target, tmp -> Files.write(tmp, bytes));
    }

    public static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /**
     * Checks, without creating anything, that files can be written in {@code dir} (created later when
     * missing): the nearest existing folder on its path must be a writable folder.
     *
     * @param option how the user named the folder, e.g. {@code --out}; the message starts with it
     * @throws UserError one line naming the option, the folder and what is wrong
     */
    public static void requireWritableFolder(Path dir, String option) {
        String head = option + " " + dir + ": ";
        Path p = dir.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw new UserError(head + "no existing folder on this path");
        }
        if (!Files.isDirectory(p)) {
            throw new UserError(head + p + " is a file, not a folder");
        }
        if (!Files.isWritable(p) || !Files.isExecutable(p)) {
            throw new UserError(head + "folder " + p + " is not writable");
        }
        Path probe = null;
        try {
            probe = Files.createTempFile(p, ".cnnlab-probe", ".tmp");
        } catch (IOException e) {
            throw new UserError(head + "cannot write in " + p + " (" + reason(e) + ")", e);
        } finally {
            deleteQuietly(probe);
        }
    }

    /** A short reason for an I/O failure, e.g. "No space left on device" or "permission denied". */
    public static String reason(Exception e) {
        Throwable t = e instanceof java.io.UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        if (t instanceof FileSystemException f) {
            if (f.getReason() != null) {
                return f.getReason();
            }
            if (f instanceof java.nio.file.AccessDeniedException) {
                return "permission denied";
            }
            if (f instanceof java.nio.file.NoSuchFileException) {
                return "no such file or folder";
            }
            if (f instanceof java.nio.file.FileAlreadyExistsException) {
                return "already exists";
            }
            return f.getClass().getSimpleName();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
