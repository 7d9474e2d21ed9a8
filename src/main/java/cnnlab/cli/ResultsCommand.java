package cnnlab.cli;

import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import cnnlab.training.Json;
import cnnlab.training.RunDirs;
import java.io.IOException;
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
 * {@code cnnlab results}: the README's results table, from the newest finished run of each
 * experiment and flag combination under {@code training/} (book number vs ours, with the command
 * that reproduces ours).
 */
@Command(name = "results", description = "Print a markdown table of the newest finished run of each experiment and flag combination.")
final class ResultsCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = RunDirs.DEFAULT_OUT, description = "folder holding the runs (default training)")
    Path out;

    @Override
    public Integer call() throws IOException {
        // experiment -> command-line flags -> the newest run with them
        Map<String, Map<String, Map<String, Object>>> newest = new LinkedHashMap<>();
        if (Files.isDirectory(out)) {
            try (Stream<Path> files = Files.find(out, 3, (p, a) -> p.getFileName().toString().equals("result.json"))) {
                for (Path f : files.sorted(Comparator.comparing(p -> p.getParent().getFileName().toString())).toList()) {
                    Map<String, Object> r = Json.readMap(f);
                    if (!(r.get("experiment") instanceof String name) || !Experiments.exists(name)) {
                        continue; // a run of an experiment this version no longer has
                    }
                    newest.computeIfAbsent(name, k -> new java.util.TreeMap<>())
                            .put(flags(Experiments.get(name), r), r); // sorted by run id: the newest wins
                }
            }
        }
        System.out.println("| experiment | book section | book | ours (last) | ours (best val.) | epochs | train time | images/s | command |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Experiment e : Experiments.all()) {
            for (Map<String, Object> r : newest.getOrDefault(e.name(), Map.of()).values()) {
                row(e, r);
            }
        }
        return 0;
    }

    private static void row(Experiment e, Map<String, Object> r) {
        System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | `%s./cnnlab train %s%s` |%n", e.name(), e.section(),
                pct(r.get("book_accuracy")), pct(r.get("test_accuracy_last")), best(r),
                r.get("epochs"), cnnlab.training.Progress.clock(((Number) r.get("train_seconds")).doubleValue()),
                r.get("images_per_second"), threads(r), e.name(), flags(e, r));
    }

    /** {@code CNNLAB_THREADS=N } when the run used other than the default one OpenMP thread. */
    private static String threads(Map<String, Object> r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) OpenMP thread")
                .matcher(String.valueOf(r.get("backend_detail")));
        return m.find() && !m.group(1).equals("1") ? "CNNLAB_THREADS=" + m.group(1) + " " : "";
    }

    /** The flags that differ from the experiment's defaults, so the command reproduces the run. */
    private static String flags(Experiment e, Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        if (((Number) r.get("epochs")).intValue() != e.epochs() && r.get("stopped_early") == null) {
            sb.append(" --epochs ").append(r.get("epochs"));
        }
        if (((Number) r.get("seed")).longValue() != 42) {
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
        return sb.toString();
    }

    /** The best-validation model's accuracy, marked when the validation checks ran on the test set itself. */
    private static String best(Map<String, Object> r) {
        return pct(r.get("test_accuracy_best")) + ("test".equals(r.get("validation_set")) ? " (chosen on test)" : "");
    }

    private static String pct(Object v) {
        return v instanceof Number n ? String.format("%.2f%%", 100 * n.doubleValue()) : "-";
    }

}
