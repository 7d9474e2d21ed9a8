package cnnlab.cli;

import cnnlab.UserError;
import cnnlab.models.Experiments;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cnnlab} command line. With no argument it trains the default experiment end to end.
 * Errors the user can fix print one line on stderr and exit with code 2.
 */
@Command(name = "cnnlab", mixinStandardHelpOptions = true, version = "cnnlab 0.1.0",
        description = "The CNN chapters (17-18) of an open neural-network textbook on Deeplearning4j.")
public final class Main implements Callable<Integer> {

    /** Exit code for errors the user can fix. */
    public static final int USAGE = 2;

    /** Exit code of a training run stopped by the divergence guard. */
    public static final int DIVERGED = 3;

    @Override
    public Integer call() {
        return commandLine().execute("train", Experiments.DEFAULT);
    }

    /** The command tree; every subcommand is registered here. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(new ListCommand());
        cl.addSubcommand(new TrainCommand());
        cl.addSubcommand(new EvalCommand());
        cl.addSubcommand(new PredictCommand());
        cl.addSubcommand(new SummaryCommand());
        cl.addSubcommand(new LayersCommand());
        cl.addSubcommand(new DemoCommand());
        cl.addSubcommand(new BenchCommand());
        cl.addSubcommand(new DataCommand());
        cl.addSubcommand(new VisualizeCommand());
        cl.addSubcommand(new UiCommand());
        cl.addSubcommand(new ResultsCommand());
        cl.addSubcommand(new GuideCommand());
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("cnnlab: " + ex.getMessage());
            return USAGE;
        });
        return cl;
    }

    private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        Throwable t = ex;
        while (t != null && !(t instanceof UserError) && !(t instanceof IllegalArgumentException)) {
            t = t.getCause();
        }
        if (t == null) {
            throw ex;
        }
        PrintWriter err = cmd.getErr();
        if (System.getenv("CNNLAB_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.println("cnnlab: " + t.getMessage());
        err.flush();
        return t instanceof cnnlab.training.Trainer.TrainingDiverged ? DIVERGED : USAGE;
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
