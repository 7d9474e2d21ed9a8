package cnnlab.training;

import cnnlab.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Run folders: {@code <out>/<name>/<run-id>/}, the run id being the UTC start time. */
public final class RunDirs {
    /** Where runs go when {@code --out} is not given. */
    public static final String DEFAULT_OUT = "training";

    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirs() {
    }

    /**
     * Creates a fresh run folder. A second run in the same second gets a {@code -2}, {@code -3}...
     * suffix, so no earlier run is ever overwritten.
     *
     * @throws UserError when the folder cannot be created (e.g. {@code out} is not writable)
     */
    public static Path create(Path out, String name) {
        String id = ZonedDateTime.now(ZoneOffset.UTC).format(ID);
        try {
            Path parent = Files.createDirectories(out.resolve(name));
            for (int k = 1; ; k++) {
                Path dir = parent.resolve(k == 1 ? id : id + "-" + k);
                try {
                    return Files.createDirectory(dir);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // taken: try the next suffix
                } catch (java.nio.file.NoSuchFileException e) {
                    Files.createDirectories(parent); // removed meanwhile by a failed run's discard()
                    k--;
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot create a run folder under " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes a run folder that was just created and holds nothing worth keeping (a run or demo that
     * failed on bad input). Its parent
     * ({@code out/<name>/}) goes too when nothing else is in it ({@link #create} recreates it should another
     * run be starting there). Best effort.
     */
    public static void discard(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            Files.delete(dir.getParent()); // only when empty: rmdir refuses a folder that holds anything
        } catch (IOException | java.io.UncheckedIOException e) {
            // a left-over folder is untidy, not harmful
        }
    }
}
