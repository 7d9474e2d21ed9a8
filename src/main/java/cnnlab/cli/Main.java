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
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("cnnlab: " + oneLine(ex.getMessage()));
            return USAGE;
        });
        return cl;
    }

    /**
     * One line and exit code 2 for what the user can fix: a {@link UserError} or
     * {@link IllegalArgumentException} anywhere in the cause chain, or a file-system failure (a full
     * disk, a folder that is not writable) that no code wrapped. Other exceptions are bugs and keep their
     * stack trace. {@code CNNLAB_DEBUG=1} prints the trace in every case.
     */
    private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        Throwable t = ex;
        while (t != null && !(t instanceof UserError) && !(t instanceof IllegalArgumentException)) {
            t = t.getCause();
        }
        String message;
        if (t != null) {
            message = t.getMessage();
        } else {
            Throwable io = ex;
            while (io != null && !(io instanceof java.io.IOException)) {
                io = io.getCause();
            }
            if (io == null) {
                throw ex;
            }
            String file = io instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() + ": " : "";
            message = file + cnnlab.training.AtomicFiles.reason((java.io.IOException) io);
        }
        PrintWriter err = cmd.getErr();
        if (System.getenv("CNNLAB_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.println("cnnlab: " + oneLine(message));
        err.flush();
        return t instanceof cnnlab.training.Trainer.TrainingDiverged ? DIVERGED : USAGE;
    }

    /** A message as one line (some library messages span several). */
    static String oneLine(String message) {
        return message == null ? "unknown error" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
