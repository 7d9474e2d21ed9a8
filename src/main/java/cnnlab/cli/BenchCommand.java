package cnnlab.cli;

import picocli.CommandLine.Command;

/** {@code cnnlab bench}: a parent for the timing commands. */
@Command(name = "bench", description = "Timing experiments.", subcommands = BenchLayersCommand.class)
final class BenchCommand {
}
