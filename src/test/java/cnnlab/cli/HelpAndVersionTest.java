package cnnlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} on every command and subcommand; {@code --version} names cnnlab, DL4J and the backend. */
class HelpAndVersionTest {

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(path);
        for (CommandLine sub : cl.getSubcommands().values()) {
            List<String> p = new ArrayList<>(path);
            p.add(sub.getCommandName());
            collect(sub, p, out);
        }
    }

    private static String execute(int expectedCode, String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(expectedCode, cl.execute(args), String.join(" ", args) + ": " + err);
        return out.toString();
    }

    @Test
    void everyCommandHasHelp() {
        List<List<String>> commands = new ArrayList<>();
        collect(Main.commandLine(), List.of(), commands);
        assertTrue(commands.size() >= 20, "the whole tree: " + commands);
        for (List<String> path : commands) {
            for (String flag : new String[] {"--help", "-h"}) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                String help = execute(0, args.toArray(String[]::new));
                String usage = ("Usage: cnnlab " + String.join(" ", path)).trim();
                assertTrue(help.startsWith(usage), args + " prints its usage: " + help);
                assertTrue(help.contains("-h, --help"), args + " lists --help: " + help);
            }
        }
    }

    @Test
    void versionNamesCnnlabDl4jAndBackend() {
        for (String flag : new String[] {"--version", "-V"}) {
            String v = execute(0, flag);
            assertTrue(v.matches("(?s)cnnlab \\d+\\.\\d+\\.\\d+\\R.*"), "cnnlab version from the pom: " + v);
            assertTrue(v.contains("Deeplearning4j 1.0.0-M2.1"), v);
            assertTrue(v.contains("backend cpu (nd4j-native 1.0.0-M2.1)")
                    || v.contains("backend cuda (nd4j-cuda-11.6 1.0.0-M2.1)"), v);
            assertTrue(!v.contains("(unknown)"), v);
        }
        // a subcommand answers --version with the same text
        assertEquals(execute(0, "--version"), execute(0, "train", "--version"));
    }
}
