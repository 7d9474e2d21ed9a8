package cnnlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md and docs/*.md stay true to the repository: every relative link (and its {@code #anchor}) leads
 * somewhere, every cnnlab class they name exists, and the README's set-up commands are the ones CI runs.
 */
class DocsTest {
    private static final Path README = Path.of("README.md");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern FENCE = Pattern.compile("```.*?```", Pattern.DOTALL);
    /** A class of ours named with its package: {@code training.Trainer}, {@code cnnlab.models.classic.ResNet}. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w./-])(?:cnnlab\\.)?((?:layers|models|training|data|cli|spark)(?:\\.[a-z]\\w*)*)\\.([A-Z]\\w*)");

    private static List<Path> docs() throws IOException {
        List<Path> all = new ArrayList<>(List.of(README));
        try (Stream<Path> s = Files.list(Path.of("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(all::add);
        }
        return all;
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
    }

    private static Set<String> anchors(Path md) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : FENCE.matcher(Files.readString(md)).replaceAll("").split("\n")) {
            if (line.matches("#+ .*")) {
                out.add(slug(line.replaceFirst("^#+ ", "")));
            }
        }
        return out;
    }

    @Test
    void slugsAreGitHubs() {
        assertEquals("beyond-the-book-todays-recipes-measured", slug("Beyond the book: today's recipes, measured"));
        assertEquals("book-section--code", slug("Book section → code"));
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path md : docs()) {
            Matcher m = LINK.matcher(FENCE.matcher(Files.readString(md)).replaceAll(""));
            while (m.find()) {
                String link = m.group(1);
                if (link.matches("[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                checked++;
                String file = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
                String anchor = link.contains("#") ? link.substring(link.indexOf('#') + 1) : "";
                Path target = file.isEmpty() ? md : md.toAbsolutePath().getParent().resolve(file).normalize();
                if (!Files.exists(target)) {
                    broken.add(md + ": " + link + " (no such file)");
                } else if (!anchor.isEmpty() && !anchors(target).contains(anchor)) {
                    broken.add(md + ": " + link + " (no such heading in " + target.getFileName() + ")");
                }
            }
        }
        assertTrue(checked >= 10, "only " + checked + " links found");
        assertEquals(List.of(), broken);
    }

    /** Where a class of ours lives, or null: {@code models.Experiment.BookModel} is in models/Experiment.java. */
    private static Path source(String pkg, String cls) {
        for (String root : List.of("src/main/java/cnnlab/", "src/test/java/cnnlab/")) {
            Path p = Path.of(root + pkg.replace('.', '/') + "/" + cls + ".java");
            if (Files.exists(p)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void everyClassTheDocsNameWithItsPackageExists() throws IOException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Path md : List.of(README, Path.of("docs/RESULTS.md"))) {
            Matcher m = QUALIFIED.matcher(Files.readString(md));
            while (m.find()) {
                checked++;
                if (source(m.group(1), m.group(2)) == null) {
                    missing.add(md + ": " + m.group());
                }
            }
        }
        assertTrue(checked >= 40, "only " + checked + " class names found");
        assertEquals(List.of(), missing);
    }

    /**
     * Every class the book → code table names, also those without their package ({@code ResNet},
     * {@code StepTrace}): a source file of ours, or a DL4J configuration class.
     */
    @Test
    void everyClassTheBookMapNamesExists() throws IOException {
        String readme = Files.readString(README);
        int from = readme.indexOf("## Book section → code");
        assertTrue(from >= 0, "README has no book → code map");
        int to = readme.indexOf("\n## ", from + 1);
        String map = readme.substring(from, to < 0 ? readme.length() : to);
        Set<String> ours = new TreeSet<>();
        for (String root : List.of("src/main/java", "src/test/java")) {
            try (Stream<Path> s = Files.walk(Path.of(root))) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                        .forEach(n -> ours.add(n.substring(0, n.length() - ".java".length())));
            }
        }
        List<String> missing = new ArrayList<>();
        Set<String> named = new TreeSet<>();
        Matcher span = Pattern.compile("`([^`\\n]+)`").matcher(map);
        while (span.find()) {
            if (span.group(1).startsWith("./cnnlab")) {
                continue; // a command, not a class
            }
            Matcher id = Pattern.compile("(?<!\\w)[A-Za-z][\\w.]*").matcher(span.group(1));
            while (id.find()) { // the class of models.Experiment.BookModel is Experiment
                String name = Stream.of(id.group().split("\\.")).filter(w -> w.matches("[A-Z]\\w*[a-z]\\w*"))
                        .findFirst().orElse(null);
                if (name != null) {
                    named.add(name);
                    if (!ours.contains(name) && !isDl4jConf(name)) {
                        missing.add(id.group());
                    }
                }
            }
        }
        assertTrue(named.size() >= 40, "only " + named + " named");
        assertEquals(List.of(), missing, "classes the book → code map names that do not exist");
    }

    private static boolean isDl4jConf(String name) {
        try {
            Class.forName("org.deeplearning4j.nn.conf." + name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void theSetUpCommandsAreTheOnesCiRuns() throws IOException {
        String readme = Files.readString(README);
        int setUp = readme.indexOf("## Set-up on a fresh machine");
        assertTrue(setUp >= 0);
        String block = readme.substring(readme.indexOf("```bash\n", setUp) + 8);
        String[] lines = block.substring(0, block.indexOf("```")).strip().split("\n");
        assertEquals(2, lines.length, "exactly two set-up commands: " + String.join(" / ", lines));
        assertTrue(lines[0].startsWith("./cnnlab ") && Files.isExecutable(Path.of("cnnlab")), lines[0]);
        assertTrue(lines[1].startsWith("mvn -B test "), lines[1]);
        List<String> ci = Files.readAllLines(Path.of(".ci/run"));
        assertEquals("mvn -B test", ci.get(ci.size() - 1).strip(), ".ci/run ends with the README's test command");
        assertFalse(readme.contains("DIGEST"), "README cites the book digest, which is not in the repository");
    }
}
