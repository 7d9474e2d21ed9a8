package cnnlab.cli;

import cnnlab.AtomicFiles;
import cnnlab.UserError;
import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.training.Json;
import cnnlab.training.RunDirs;
import cnnlab.training.TrainResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cnnlab results}: the results tables of {@code docs/RESULTS.md}, from the newest finished run of
 * each experiment and flag combination under {@code training/} (book number vs ours, with the command
 * that reproduces ours); {@code --markdown FILE} writes them into that file.
 */
@Command(name = "results", description = "Print a markdown table of the newest finished run of each experiment and flag combination.")
final class ResultsCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = RunDirs.DEFAULT_OUT, description = "folder holding the runs (default training)")
    Path out;

    @Option(names = "--over-seeds", description = "one row per experiment and flag set other than --seed that ran "
            + "with at least two seeds: the spread of the newest run of each seed, and how many reach the book")
    boolean overSeeds;

    @Option(names = "--markdown", paramLabel = "FILE", description = "write both tables into FILE (e.g. docs/RESULTS.md) "
            + "instead of printing one: between its lines " + BEGIN + " and " + END + " when it has them, the text around "
            + "them kept; a new file otherwise")
    Path markdown;

    /** The lines that enclose the generated part of a {@code --markdown} file. */
    static final String BEGIN = "<!-- cnnlab results: begin -->";
    static final String END = "<!-- cnnlab results: end -->";

    @Override
    public Integer call() throws IOException {
        // experiment -> command-line flags -> the newest run with them
        Map<String, Map<String, Map<String, Object>>> newest = new LinkedHashMap<>();
        if (!Files.exists(out)) {
            throw new UserError("--out " + out + ": no such folder (it should hold the runs, e.g. training/)");
        }
        if (!Files.isDirectory(out)) {
            throw new UserError("--out " + out + " is a file, not a folder of runs");
        }
        {
            try (Stream<Path> files = Files.find(out, 3, (p, a) -> p.getFileName().toString().equals("result.json"))) {
                for (Path f : files.sorted(Comparator.comparing(p -> p.getParent().getFileName().toString())).toList()) {
                    Map<String, Object> r = readResult(f);
                    if (r == null || !(r.get("experiment") instanceof String name) || !Experiments.exists(name)) {
                        continue; // unreadable (warned), or a run of an experiment this version no longer has
                    }
                    Experiment e = Experiments.get(name);
                    if (!Double.isNaN(e.bookAccuracy())) { // runs from before result.json recorded it
                        r.putIfAbsent("book_model", e.bookModel().label());
                    }
                    newest.computeIfAbsent(name, k -> new java.util.TreeMap<>())
                            .put(environment(r) + flags(e, r, true), r); // by run id: the newest wins
                }
            }
        }
        if (markdown != null) {
            writeMarkdown(newest);
        } else if (overSeeds) {
            seedTable(System.out, newest);
        } else {
            runTable(System.out, newest);
        }
        return 0;
    }

    private static void runTable(PrintStream o, Map<String, Map<String, Map<String, Object>>> newest) {
        o.println("| experiment | book section | book | ours (last) | ours (best val.) | vs book | epochs | train time "
                + "| images/s | command |");
        o.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Experiment e : Experiments.all()) {
            for (Map<String, Object> r : newest.getOrDefault(e.name(), Map.of()).values()) {
                row(o, e, r);
            }
        }
        ablationTable(o, newest);
    }

    /**
     * {@code --markdown FILE}: both tables, under their headings, replace what lies between {@link #BEGIN}
     * and {@link #END} in FILE (the hand-written text around them is kept), or make a new FILE. Written
     * atomically; a FILE without the two lines is left alone.
     */
    private void writeMarkdown(Map<String, Map<String, Map<String, Object>>> newest) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(buf, true, StandardCharsets.UTF_8);
        o.println(BEGIN);
        o.println("## Newest run of each experiment and flag set (`./cnnlab results`)");
        o.println();
        runTable(o, newest);
        o.println();
        o.println("## Over seeds (`./cnnlab results --over-seeds`)");
        o.println();
        seedTable(o, newest);
        o.print(END);
        String block = buf.toString(StandardCharsets.UTF_8);
        String text;
        if (Files.isDirectory(markdown)) {
            throw new UserError("--markdown " + markdown + " is a folder, not a markdown file");
        }
        if (Files.exists(markdown)) {
            String old;
            try {
                old = Files.readString(markdown);
            } catch (IOException e) {
                throw new UserError("--markdown " + markdown + ": cannot read it: " + AtomicFiles.reason(e), e);
            }
            // the two lines on their own (the text around them may quote them)
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?ms)^" + java.util.regex.Pattern.quote(BEGIN)
                    + "$.*?^" + java.util.regex.Pattern.quote(END) + "$").matcher(old);
            if (!m.find()) {
                throw new UserError("--markdown " + markdown + ": has no lines " + BEGIN + " ... " + END
                        + " to replace; nothing written (give a new file, or add the two lines)");
            }
            text = old.substring(0, m.start()) + block + old.substring(m.end());
        } else {
            String from = out.equals(Path.of(RunDirs.DEFAULT_OUT)) ? "" : " --out " + out;
            text = "# Results\n\nGenerated by `./cnnlab results --markdown " + markdown + from + "`.\n\n" + block + "\n";
        }
        AtomicFiles.writeString(markdown, text);
        System.out.println("wrote " + markdown);
    }

    /** The fields every row needs; a result.json without them is skipped with a warning. */
    private static final List<String> NUMBERS = List.of("test_accuracy_last", "test_accuracy_best", "epochs",
            "train_seconds", "seed");

    /** A run's result.json, or null (with a warning on stderr) when it is damaged: one bad file does not stop the table. */
    private static Map<String, Object> readResult(Path f) {
        try {
            Map<String, Object> r = new LinkedHashMap<>(Json.readMap(f));
            for (String k : NUMBERS) {
                if (!(r.get(k) instanceof Number)) {
                    throw new IllegalArgumentException("no number '" + k + "'");
                }
            }
            return r;
        } catch (RuntimeException e) {
            System.err.println("warning: skipping " + f + ": " + Main.oneLine(String.valueOf(e.getMessage())));
            return null;
        }
    }

    /**
     * Issue 17's ablation table: for each modern recipe run (one per flag set, the newest), test accuracy
     * without and with test-time augmentation and the time, so a learner sees what each ingredient buys.
     */
    private static void ablationTable(PrintStream o, Map<String, Map<String, Map<String, Object>>> newest) {
        List<Map<String, Object>> runs = newest.values().stream().flatMap(m -> m.values().stream())
                .filter(r -> r.get("recipe") instanceof Map<?, ?>).toList();
        if (runs.isEmpty()) {
            return;
        }
        o.println();
        o.println("| recipe run | ingredients off | epochs | test acc. | with TTA | train time | TTA time | command |");
        o.println("|---|---|---|---|---|---|---|---|");
        for (Map<String, Object> r : runs) {
            String name = (String) r.get("experiment");
            List<?> off = r.get("recipe_flags") instanceof List<?> l ? l : List.of();
            o.printf("| %s | %s | %s | %s | %s | %s | %s | `%s./cnnlab train %s%s` |%n", name,
                    off.isEmpty() ? "none (full recipe)" : off.stream().map(f -> "--" + f)
                            .collect(java.util.stream.Collectors.joining(" ")),
                    r.get("epochs"), pct(r.get("test_accuracy_last")), pct(r.get("test_accuracy_tta")),
                    cnnlab.training.Progress.clock(((Number) r.get("train_seconds")).doubleValue()),
                    r.get("tta_seconds") instanceof Number t ? cnnlab.training.Progress.clock(t.doubleValue()) : "-",
                    environment(r), name, flags(Experiments.get(name), r, true));
        }
    }

    private static void row(PrintStream o, Experiment e, Map<String, Object> r) {
        o.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | `%s./cnnlab train %s%s` |%n", e.name(),
                e.section(), pct(r.get("book_accuracy")), pct(r.get("test_accuracy_last")), best(r), vsBook(e, r),
                r.get("epochs"), cnnlab.training.Progress.clock(((Number) r.get("train_seconds")).doubleValue()),
                r.get("images_per_second"), environment(r), e.name(), flags(e, r, true));
    }

    /**
     * Per experiment and flag set apart from {@code --seed} (with at least two seeds): median and range
     * over seeds, and runs at or above the book.
     */
    private static void seedTable(PrintStream o, Map<String, Map<String, Map<String, Object>>> newest) {
        o.println("| experiment | book | seeds | ours (last): median [range] | ours (best val.): median [range] "
                + "| at or above the book | command |");
        o.println("|---|---|---|---|---|---|---|");
        int[] single = {0};
        for (Experiment e : Experiments.all()) {
            Map<String, List<Map<String, Object>>> bySet = new java.util.TreeMap<>();
            for (Map<String, Object> r : newest.getOrDefault(e.name(), Map.of()).values()) {
                bySet.computeIfAbsent(environment(r) + flags(e, r, false), k -> new java.util.ArrayList<>()).add(r);
            }
            bySet.forEach((set, runs) -> {
                if (runs.size() < 2) {
                    single[0]++;
                    return;
                }
                List<Long> seeds = runs.stream().map(r -> ((Number) r.get("seed")).longValue()).sorted().toList();
                String reached = "-";
                if (runs.get(0).get("book_accuracy") instanceof Number) {
                    long n = runs.stream().filter(r -> compared(r) >= ((Number) r.get("book_accuracy")).doubleValue())
                            .count();
                    reached = n + " of " + runs.size() + " (" + (TrainResult.comparesBest(runs.get(0)) ? "best" : "last") + ")";
                }
                String prefix = environment(runs.get(0));
                o.printf("| %s | %s | %s | %s | %s | %s | `%s./cnnlab train %s%s --seed N` |%n", e.name(),
                        pct(runs.get(0).get("book_accuracy")), seeds.stream().map(String::valueOf)
                                .collect(java.util.stream.Collectors.joining(", ")),
                        spread(runs, "test_accuracy_last"), spread(runs, "test_accuracy_best"), reached, prefix,
                        e.name(), set.substring(prefix.length()));
            });
        }
        if (single[0] > 0) {
            o.printf("%n(%d flag set%s with a single seed left out: see `cnnlab results`.)%n", single[0],
                    single[0] == 1 ? "" : "s");
        }
    }

    private static String spread(List<Map<String, Object>> runs, String key) {
        double[] v = runs.stream().mapToDouble(r -> ((Number) r.get(key)).doubleValue()).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format("%.2f%% [%.2f-%.2f]", 100 * median, 100 * v[0], 100 * v[v.length - 1]);
    }

    /** Our accuracy for the model the book tested. */
    private static double compared(Map<String, Object> r) {
        return ((Number) r.get(TrainResult.comparesBest(r) ? "test_accuracy_best" : "test_accuracy_last")).doubleValue();
    }

    /**
     * The environment the run needs to be reproduced: {@code CNNLAB_THREADS=N } when it used other than
     * the default one OpenMP thread, {@code CNNLAB_ONEDNN=0 } when oneDNN was off.
     */
    private static String environment(Map<String, Object> r) {
        String backend = String.valueOf(r.get("backend_detail"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) OpenMP thread").matcher(backend);
        return (m.find() && !m.group(1).equals("1") ? "CNNLAB_THREADS=" + m.group(1) + " " : "")
                + (backend.contains("no oneDNN") ? "CNNLAB_ONEDNN=0 " : "");
    }

    /** The flags that differ from the experiment's defaults, so the command reproduces the run. */
    private static String flags(Experiment e, Map<String, Object> r, boolean withSeed) {
        StringBuilder sb = new StringBuilder();
        if (((Number) r.get("epochs")).intValue() != e.epochs() && r.get("stopped_early") == null) {
            sb.append(" --epochs ").append(r.get("epochs"));
        }
        if (withSeed && ((Number) r.get("seed")).longValue() != 42) {
            sb.append(" --seed ").append(r.get("seed"));
        }
        if ("standard".equals(r.get("init"))) {
            sb.append(" --init standard");
        }
        if ("custom".equals(r.get("layers"))) {
            sb.append(" --layers custom");
        }
        if (r.get("train_limit") instanceof Number n && n.intValue() > 0) {
            sb.append(" --train-limit ").append(n);
        }
        if (r.get("recipe_flags") instanceof List<?> off) {
            off.forEach(f -> sb.append(" --").append(f));
        }
        return sb.toString();
    }

    /** The best-validation model's accuracy, marked when the validation checks ran on the test set itself. */
    private static String best(Map<String, Object> r) {
        return pct(r.get("test_accuracy_best")) + ("test".equals(r.get("validation_set")) ? " (chosen on test)" : "");
    }

    /**
     * Our accuracy minus the book's, in points, for the model the book tested (its last one, or the
     * best-validation one where the book reloaded it: {@link Experiment#bookModel()}).
     */
    private static String vsBook(Experiment e, Map<String, Object> r) {
        if (!(r.get("book_accuracy") instanceof Number book)) {
            return "-";
        }
        return String.format("%+.2f (%s)", 100 * (compared(r) - book.doubleValue()),
                TrainResult.comparesBest(r) ? "best" : "last");
    }

    private static String pct(Object v) {
        return v instanceof Number n ? String.format("%.2f%%", 100 * n.doubleValue()) : "-";
    }

}
