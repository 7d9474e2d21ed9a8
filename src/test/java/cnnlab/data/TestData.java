package cnnlab.data;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find the real data sets: the folder named by the system property {@code cnnlab.test.data}. */
public final class TestData {
    private TestData() {
    }

    /** The data directory, resolved through {@link DataSources#dataDir(String)} like {@code --data-dir}. */
    public static Path dir() {
        String p = System.getProperty("cnnlab.test.data");
        if (p == null || p.isBlank()) {
            fail("system property cnnlab.test.data is not set (surefire sets it to ../shared/data)");
        }
        Path dir = DataSources.dataDir(p);
        if (!Files.isDirectory(dir.resolve("mnist"))) {
            fail("cnnlab.test.data=" + p + " has no mnist/ folder");
        }
        return dir;
    }
}
