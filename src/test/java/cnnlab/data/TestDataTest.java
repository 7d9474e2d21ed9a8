package cnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order in which the tests look for real data, and that a named folder without the files is passed over. */
class TestDataTest {
    @TempDir
    Path tmp;

    private Path withMnist(String name) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir.resolve("mnist"));
        for (String f : RealData.MNIST.archives()) {
            Files.writeString(dir.resolve("mnist").resolve(f), "placeholder");
        }
        return dir;
    }

    @Test
    void firstFolderThatHasTheSetWins() throws IOException {
        Path missing = tmp.resolve("no-such-folder");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path second = withMnist("second");
        Path third = withMnist("third");
        assertEquals(second, TestData.resolve(RealData.MNIST, List.of(missing, empty, second, third), tmp.resolve("dl")));
        assertEquals(third, TestData.resolve(RealData.MNIST, List.of(third, second), tmp.resolve("dl")));
    }

    @Test
    void partialSetIsPassedOver() throws IOException {
        Path partial = withMnist("partial");
        Files.delete(partial.resolve("mnist").resolve(RealData.MNIST.archives().get(3)));
        Path full = withMnist("full");
        assertEquals(full, TestData.resolve(RealData.MNIST, List.of(partial, full), tmp.resolve("dl")));
    }

    @Test
    void lookupOrderIsPropertyEnvironmentDataShared() {
        Path data = Path.of("data").toAbsolutePath().normalize();
        Path shared = Path.of("../shared/data").toAbsolutePath().normalize();
        assertEquals(List.of(tmp.resolve("p"), tmp.resolve("e"), data, shared),
                TestData.candidates(tmp.resolve("p").toString(), tmp.resolve("e").toString()));
        assertEquals(List.of(data, shared), TestData.candidates(null, " "));
        // surefire's setting (CI) is ../shared/data: it comes first, once
        assertEquals(List.of(shared, data), TestData.candidates("../shared/data", null));
    }
}
