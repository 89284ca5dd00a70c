package io.tierflow.cli.whatif;

import java.io.IOException;
import java.util.function.Consumer;

/** Where a what-if's recorded inputs come from: read once, in event-time order, into {@code to}. */
public interface ReplaySource {
    /** Reads every input into {@code to}; returns the number read. */
    long replay(Consumer<ReplayInput> to) throws IOException;

    /** What was read, for the report (e.g. {@code topics datasets + access-events} or a trace's files). */
    String description();
}
