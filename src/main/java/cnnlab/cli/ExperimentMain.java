package cnnlab.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code main} of each experiment's network class ({@code cnnlab.models.MnistCnn} and the others):
 * trains the experiment exactly as {@code cnnlab train <experiment> ARGS...} does, so it runs from an IDE or
 * with {@code mvn -q exec:java -Dexec.mainClass=cnnlab.models.MnistCnn -Dexec.args="--epochs 1"}.
 */
public final class ExperimentMain {
    private ExperimentMain() {
    }

    /**
     * Trains one of {@code experiments}: the first one, or the one named by the first argument when a
     * class builds several (e.g. {@code FashionCnn fashion-cnn-bn --epochs 1}); the other arguments are
     * {@code cnnlab train}'s options. Exits with the command line's code when it is not 0.
     */
    public static void train(String[] args, String... experiments) {
        int code = Main.launch(commandLine(args, experiments));
        if (code != 0) {
            System.exit(code);
        }
    }

    /** {@code train <experiment> <options>} for {@link #train}'s arguments. */
    static String[] commandLine(String[] args, String... experiments) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        String experiment = experiments[0];
        if (!rest.isEmpty() && Arrays.asList(experiments).contains(rest.get(0))) {
            experiment = rest.remove(0);
        }
        rest.add(0, experiment);
        rest.add(0, "train");
        return rest.toArray(String[]::new);
    }
}
