package io.tierflow.cli.whatif;

import io.tierflow.cli.trace.ImportOutput;
import io.tierflow.cli.trace.TraceFileReader;
import io.tierflow.cli.trace.TraceFormat;
import io.tierflow.cli.trace.TraceImporter;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A trace file read straight into a replay, through import-trace's own formats and importer: the same keys,
 * inventory records and events an import would write to topics, without the topics.
 */
public final class TraceReplaySource implements ReplaySource {
    private final TraceFormat format;
    private final List<Path> files;
    private final TraceImporter.Settings settings;
    private final PrintWriter err;
    private final BooleanSupplier stopRequested;
    private final String command;
    private TraceImporter.Summary summary;

    /** @param command the command reading it, which its progress line and messages name (e.g. tierflow whatif) */
    public TraceReplaySource(TraceFormat format, List<Path> files, TraceImporter.Settings settings, PrintWriter err,
            BooleanSupplier stopRequested, String command) {
        this.format = format;
        this.files = files;
        this.settings = settings;
        this.err = err;
        this.stopRequested = stopRequested;
        this.command = command;
    }

    @Override
    public long replay(Consumer<ReplayInput> to) throws IOException {
        TraceImporter importer = new TraceImporter(settings, new ImportOutput() {
            @Override
            public void dataset(Dataset dataset, long timestampMs) {
                to.accept(new ReplayInput.Inventory(dataset.getKey(), dataset, timestampMs));
            }

            @Override
            public void event(AccessEvent event) {
                to.accept(new ReplayInput.Access(event, event.getEventTime().toEpochMilli()));
            }
        });
        try {
            TraceFileReader.read(format, files, importer, err, stopRequested, command + ":");
        } finally {
            summary = importer.summary();
        }
        return summary.events();
    }

    /** What the read found (bad lines, skipped requests, time span), once {@link #replay} has run. */
    public TraceImporter.Summary summary() {
        return summary;
    }

    @Override
    public String description() {
        return "trace " + files + " (time scale " + settings.timeScale() + ")";
    }
}
