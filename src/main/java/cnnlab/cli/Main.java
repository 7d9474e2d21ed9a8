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
@Command(name = "cnnlab", mixinStandardHelpOptions = true, versionProvider = Main.Versions.class,
        scope = CommandLine.ScopeType.INHERIT, // --help (and --version) on every subcommand
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
            message = file + cnnlab.AtomicFiles.reason((java.io.IOException) io);
        }
        PrintWriter err = cmd.getErr();
        if (System.getenv("CNNLAB_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.println("cnnlab: " + oneLine(message));
        err.flush();
        return t instanceof cnnlab.training.Trainer.TrainingDiverged ? DIVERGED : USAGE;
    }

    /**
     * {@code cnnlab --version}: cnnlab's, DL4J's and the ND4J backend's versions, read from the jars'
     * Maven metadata; the backend is named from its class on the class path, without starting it.
     */
    static final class Versions implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            boolean cuda = cnnlab.training.CudaSupport.cudaBuild();
            String backend = cuda ? "nd4j-cuda-11.6" : "nd4j-native";
            return new String[] {
                "cnnlab " + version("/cnnlab/version.properties"),
                "Deeplearning4j " + version("/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties"),
                "backend " + (cuda ? "cuda" : "cpu") + " (" + backend + " "
                        + version("/META-INF/maven/org.nd4j/" + backend + "/pom.properties") + ")",
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }

        private static String version(String resource) {
            try (java.io.InputStream in = Main.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return "(unknown)";
                }
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "(unknown)");
            } catch (java.io.IOException e) {
                return "(unknown)";
            }
        }
    }

    /**
     * What {@link #main} and the experiments' mains run: on the CUDA build, the GPU check first
     * ({@link cnnlab.training.CudaSupport}: an unsupported GPU or driver gets one line and code 2, before
     * ND4J starts), then the command line.
     */
    public static int launch(String... args) {
        cheapNativeAllocations();
        String gpuProblem = cnnlab.training.CudaSupport.checkThisMachine();
        if (gpuProblem != null) {
            System.err.println("cnnlab: " + gpuProblem);
            return USAGE;
        }
        return run(args);
    }

    /** JavaCPP's property that bounds the process's physical memory (bytes; 0 = no bound). */
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

    /**
     * Turns off JavaCPP's physical-memory check unless the user set {@value #MAX_PHYSICAL_BYTES}: while it is above
     * 0 (the default), every native allocation, down to each array view's shape information, reads
     * {@code /proc/self/statm}: 3.7% of a mnist-cnn training step's CPU samples
     * ({@code bench/async_profile.sh} with the check back on, {@code docs/PERFORMANCE.md}). Must run before ND4J
     * loads.
     */
    public static void cheapNativeAllocations() {
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
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
        System.exit(launch(args));
    }
}
