package io.tierflow.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The benchmark jar's command ({@code scripts/bench <suite>}): benchmarks, each measured against its own reference in
 * the same run. A module of its own, so the {@code tierflow} product jar carries no benchmark code.
 */
@Command(name = "scripts/bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks on a fresh local stack on loopback. Each compares against its reference in the same "
                + "run (this machine is shared and noisy, so a ratio means more than a rate), prints progress to "
                + "stderr and ends with one summary line '<suite>: key=value ...' on stdout.",
                "Run them through scripts/bench, which sets the JVM flags they are calibrated with."},
        subcommands = {TopologyBenchCommand.class, MigrationBenchCommand.class, ApiBenchCommand.class,
                WhatIfBenchCommand.class, PlacementBenchCommand.class})
public final class BenchCommand implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    static CommandLine commandLine() {
        return new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine command = spec.commandLine();
        command.getErr().println("scripts/bench: name a suite (topology, migration, api, whatif, placement)");
        command.usage(command.getErr());
        return 2;
    }
}
