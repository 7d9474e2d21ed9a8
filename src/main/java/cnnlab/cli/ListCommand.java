package cnnlab.cli;

import cnnlab.models.Experiment;
import cnnlab.models.Experiments;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code cnnlab list}: every experiment with its book section and the book's accuracy. */
@Command(name = "list", description = "List the experiments with their book section and book accuracy.")
final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.printf("%-22s %-8s %-8s %-7s %s%n", "experiment", "section", "book", "epochs", "description");
        for (Experiment e : Experiments.all()) {
            String book = Double.isNaN(e.bookAccuracy()) ? "-" : String.format("%.2f%%", 100 * e.bookAccuracy());
            System.out.printf("%-22s %-8s %-8s %-7d %s%n", e.name(), e.section(), book, e.epochs(), e.description());
        }
        return 0;
    }
}
