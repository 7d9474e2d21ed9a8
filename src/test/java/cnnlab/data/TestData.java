package cnnlab.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests find the real data sets. The first of these folders that holds a set's files is used:
 * <ol>
 *   <li>the system property {@code cnnlab.test.data} (surefire sets it to {@code ../shared/data}, CI's copy);</li>
 *   <li>the environment variable {@code CNNLAB_DATA};</li>
 *   <li>{@code data/} (where {@code cnnlab} downloads to);</li>
 *   <li>{@code ../shared/data}.</li>
 * </ol>
 * A folder that is missing or lacks the set is skipped. When none has it, the set is fetched into
 * {@code data/} with cnnlab's own verified download ({@link RealData#fetch}); when that fails too (no
 * network), the calling test is skipped (a JUnit assumption) with a one-line reason, also printed as
 * {@code SKIPPED <test>: <reason>}. The outcome is remembered per set, so the download is tried once.
 */
public final class TestData {
    static final String PROPERTY = "cnnlab.test.data";

    /** Per set: the folder that has it ({@link Path}) or why it could not be had ({@link String}). */
    private static final Map<RealData, Object> RESOLVED = new EnumMap<>(RealData.class);

    private TestData() {
    }

    /** A data directory holding MNIST. */
    public static Path dir() {
        return dir(RealData.MNIST);
    }

    /** A data directory holding {@code set}, or the calling test is skipped with the reason. */
    public static Path dir(RealData set) {
        Object found;
        synchronized (RESOLVED) {
            found = RESOLVED.computeIfAbsent(set, s -> resolve(s,
                    candidates(System.getProperty(PROPERTY), System.getenv("CNNLAB_DATA")), Path.of("data")));
        }
        if (found instanceof Path p) {
            return p;
        }
        String reason = (String) found;
        System.out.println("SKIPPED " + caller() + ": " + reason);
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    /** The folders to look in, in order (unset or blank settings left out, duplicates once). */
    static List<Path> candidates(String property, String environment) {
        List<Path> out = new ArrayList<>();
        for (String s : new String[] {property, environment, "data",
                "../shared/data"}) {
            if (s != null && !s.isBlank()) {
                Path p = Path.of(s).toAbsolutePath().normalize();
                if (!out.contains(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /**
     * The first candidate that has every file of {@code set}; else {@code download} after fetching the
     * set into it; else (a {@link String}) why not.
     */
    static Object resolve(RealData set, List<Path> candidates, Path download) {
        for (Path c : candidates) {
            if (set.missing(c).isEmpty()) {
                return c;
            }
        }
        try {
            System.out.println("TestData: " + set.dataName() + " is in none of " + candidates + "; downloading into "
                    + download.toAbsolutePath());
            set.fetch(download, false, set.mirrors(), System.err);
            return download;
        } catch (IOException | RuntimeException e) {
            String why = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
            return "needs the real data set " + set.dataName() + ": not in " + candidates
                    + " and the download into " + download + "/ failed (no network?): " + why;
        }
    }

    /** {@code Class.method} of the test that asked (its outermost frame in a test class). */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(TestData.class.getName())
                        && f.getClassName().startsWith("cnnlab."))
                .filter(f -> f.getClassName().endsWith("Test"))
                .reduce((inner, outer) -> outer)
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
                .orElse("a test"));
    }
}
