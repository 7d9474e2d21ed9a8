package cnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cnnlab.data.RealData;
import cnnlab.data.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/GUIDE.md} and {@code cnnlab guide}: every file the guide links under {@code guide/} is
 * committed in {@code docs/guide}, nothing else is there, and {@code cnnlab guide --quick} writes exactly
 * that set of files (so each picture the guide shows comes from that command).
 */
class GuideCommandTest {
    private static final Path GUIDE = Path.of("docs/GUIDE.md");
    private static final Path COMMITTED = Path.of("docs/guide");
    private static final Pattern LINK = Pattern.compile("\\]\\((guide/[^)\\s]+)\\)");

    /** The file names GUIDE.md links under {@code guide/}, images and tables alike. */
    static Set<String> links(String markdown) {
        Set<String> out = new TreeSet<>();
        Matcher m = LINK.matcher(markdown);
        while (m.find()) {
            out.add(m.group(1).substring("guide/".length()));
        }
        return out;
    }

    private static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static void assertPicture(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " is not a readable PNG");
        assertTrue(img.getWidth() > 50 && img.getHeight() > 50, png + " is " + img.getWidth() + "x" + img.getHeight());
    }

    @Test
    void theLinkPatternFindsImagesAndTables() {
        assertEquals(Set.of("a.png", "b.md"), links("![x](guide/a.png) see [t](guide/b.md), not [r](README.md)"));
    }

    @Test
    void everyFileTheGuideLinksIsCommittedAndDrawnByTheGuideCommand(@TempDir Path tmp) throws IOException {
        String guide = Files.readString(GUIDE);
        Set<String> linked = links(guide);
        assertTrue(linked.size() >= 20, "GUIDE.md links " + linked);
        assertEquals(linked, files(COMMITTED), "docs/guide holds exactly what GUIDE.md links");

        Path out = tmp.resolve("guide");
        Path data = TestData.dir(RealData.CIFAR_10); // the guide reads MNIST and CIFAR-10 from one folder
        assumeTrue(data.equals(TestData.dir()), "MNIST and CIFAR-10 were found in different folders");
        assertEquals(0, Main.run("guide", "--quick", "--out", out.toString(), "--data-dir", data.toString()));
        assertEquals(linked, files(out), "cnnlab guide writes exactly what GUIDE.md links");
        for (String f : linked) {
            if (f.endsWith(".png")) {
                assertPicture(COMMITTED.resolve(f));
                assertPicture(out.resolve(f));
            }
        }
        // the classic networks' table does not depend on training: GUIDE.md shows the one the command writes
        List<String> table = Files.readAllLines(out.resolve("classic-nets.md"));
        assertEquals(table, Files.readAllLines(COMMITTED.resolve("classic-nets.md")));
        for (String row : table) {
            assertTrue(guide.contains(row), "GUIDE.md lacks the row " + row);
        }
    }

    @Test
    void withoutTheRealDataItStopsBeforeDrawingAnything(@TempDir Path tmp) throws IOException {
        Path notAFolder = Files.writeString(tmp.resolve("data"), "not a folder");
        Path out = tmp.resolve("guide");
        assertEquals(2, Main.run("guide", "--quick", "--out", out.toString(), "--data-dir", notAFolder.toString()));
        assertFalse(Files.exists(out), "nothing may be written when the data is missing");
    }
}
