package io.tierflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tierflow} command: the entry point of the runnable jar. */
@Command(name = "tierflow", mixinStandardHelpOptions = true, versionProvider = TierflowCommand.Version.class,
        description = "Tierflow: a streaming data autopilot for multi-cloud object storage.",
        subcommands = {LocalCommand.class, InitCommand.class, StreamsCommand.class, ProduceCommand.class,
                MigratorCommand.class, ChaosCommand.class, io.tierflow.cli.trace.ImportTraceCommand.class,
                io.tierflow.cli.whatif.WhatIfCommand.class, io.tierflow.cli.train.TrainCommand.class,
                io.tierflow.cli.rebalance.RebalanceCommand.class,
                io.tierflow.cli.dashboards.CheckDashboardsCommand.class, CommandLine.HelpCommand.class})
public final class TierflowCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    static CommandLine commandLine() {
        return new CommandLine(new TierflowCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Reports the version recorded in the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = TierflowCommand.class.getPackage().getImplementationVersion();
            return new String[] {"tierflow " + (version == null ? "(development build)" : version)};
        }
    }
}
