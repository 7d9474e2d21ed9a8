package cnnlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rule {@code cli → (spark →) training → models/data → layers}: a package uses only the packages below
 * it ({@code models} may use {@code data}, not the other way round), and {@code layers} uses nothing of
 * ours. The root package {@code cnnlab} ({@link UserError}, {@link ImageGrid}) is neutral: every package
 * may use it and it uses none of them. Checked over the imports and fully qualified names in
 * {@code src/main/java} (comments left out); subpackages count as their top package
 * ({@code models.classic} is {@code models}).
 *
 * <p>One named exception: each experiment's network class has a {@code main} that runs
 * {@code cnnlab train <experiment>} (for IDEs and {@code exec:java}), so those classes may call
 * {@link #ENTRY_POINT} and nothing else of {@code cli}.
 */
class PackageRuleTest {
    /** What each top package may use besides itself and the root package. */
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "cli", Set.of("spark", "training", "models", "data", "layers"),
            "spark", Set.of("training", "models", "data", "layers"),
            "training", Set.of("models", "data", "layers"),
            "models", Set.of("data", "layers"),
            "data", Set.of("layers"),
            "layers", Set.of(),
            "", Set.of());

    /** The one thing of {@code cli} that the models' {@code main} methods may call. */
    static final String ENTRY_POINT = "cnnlab.cli.ExperimentMain.train(";

    private static final Pattern REFERENCE = Pattern.compile("\\bcnnlab\\.([a-z]\\w*)\\.");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void everyPackageUsesOnlyThePackagesBelowIt() throws IOException {
        List<String> broken = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Path f : sources()) {
            String from = topPackage(f);
            seen.add(from);
            assertTrue(ALLOWED.containsKey(from), f + " is in package '" + from + "', which the rule does not place");
            String source = Files.readString(f);
            if (from.equals("models")) {
                source = source.replace(ENTRY_POINT, "(");
            }
            for (String to : references(source)) {
                if (!to.equals(from) && !ALLOWED.get(from).contains(to)) {
                    broken.add(MAIN.relativize(f) + " (" + name(from) + ") uses " + to);
                }
            }
        }
        assertEquals(ALLOWED.keySet(), seen, "the rule names exactly the packages that exist");
        assertEquals(List.of(), broken, "package rule cli -> training -> models/data -> layers");
    }

    @Test
    void theCheckSeesImportsAndQualifiedNamesButNotComments() {
        String src = "package cnnlab.layers;\nimport cnnlab.training.Net;\n// cnnlab.cli.Main in a comment\n"
                + "/** {@link cnnlab.models.NetSpec} */ class X { Object o = cnnlab.data.DataSources.dataDir(null); }";
        assertEquals(Set.of("training", "data"), references(src));
    }

    /** The top packages a source file refers to ({@code cnnlab.X.…} outside comments; root classes excluded). */
    static Set<String> references(String source) {
        String code = COMMENTS.matcher(source).replaceAll(" ");
        Set<String> out = new TreeSet<>();
        for (String line : code.split("\n")) {
            if (line.startsWith("package ")) {
                continue;
            }
            Matcher m = REFERENCE.matcher(line);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static List<Path> sources() throws IOException {
        assertTrue(Files.isDirectory(MAIN.resolve("cnnlab")), "run from the project root: no " + MAIN);
        try (Stream<Path> s = Files.walk(MAIN.resolve("cnnlab"))) {
            List<Path> all = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            assertTrue(all.size() > 50, "expected the project's sources, found " + all.size());
            return all;
        }
    }

    /** {@code cli} for {@code cnnlab/cli/Main.java}, {@code models} for {@code models/classic/…}, "" for the root. */
    private static String topPackage(Path f) {
        Path rel = MAIN.resolve("cnnlab").relativize(f);
        return rel.getNameCount() == 1 ? "" : rel.getName(0).toString();
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? "cnnlab" : pkg;
    }
}
