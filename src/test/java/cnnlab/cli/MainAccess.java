package cnnlab.cli;

import picocli.CommandLine;

/** Lets tests in other packages build the command tree with their own output streams. */
public final class MainAccess {
    private MainAccess() {
    }

    public static CommandLine commandLine() {
        return Main.commandLine();
    }
}
