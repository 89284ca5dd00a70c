package io.tierflow.cli.trace;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What {@code tierflow import-trace} says at the end: how much was read and sent where, the event time span, and
 * what was skipped or could not be read.
 *
 * @param summary what the importer made of the trace
 * @param files how many files were read
 * @param nanos how long the import took
 * @param datasetsTopic where the inventory records went (or would go, in a dry run)
 * @param eventsTopic where the access events went (or would go, in a dry run)
 * @param acknowledged records the broker acknowledged; null in a dry run, which writes nothing
 * @param site where the inventory says the objects are
 * @param timeScale event seconds per trace second
 */
record ImportReport(TraceImporter.Summary summary, int files, long nanos, String datasetsTopic, String eventsTopic,
        Long acknowledged, TraceSite site, double timeScale) {

    void printTo(PrintWriter out) {
        boolean dryRun = acknowledged == null;
        double seconds = Math.max(nanos, 1) / 1e9;
        out.printf(Locale.ROOT, "tierflow import-trace: %s%,d requests from %d file%s as %,d events over %,d datasets "
                        + "(%,.1f MiB) in %.1f s (%,.0f requests/s)%n", dryRun ? "(dry run) " : "", summary.events(),
                files, files == 1 ? "" : "s", summary.events(), summary.datasets(), summary.bytes() / 1048576.0,
                seconds, summary.events() / seconds);
        if (dryRun) {
            out.printf(Locale.ROOT, "  would write to topics %s and %s%n", datasetsTopic, eventsTopic);
        } else {
            out.printf(Locale.ROOT, "  topics %s and %s, %,d records acknowledged; objects on %s (%s, %s)%n",
                    datasetsTopic, eventsTopic, acknowledged, site.name(), site.region(), site.storageClass());
        }
        if (summary.firstEventTime() != null) {
            out.printf(Locale.ROOT, "  event time %s to %s (time scale %s)%n", summary.firstEventTime(),
                    summary.lastEventTime(), timeScale);
        }
        if (summary.skippedCount() > 0) {
            out.printf(Locale.ROOT, "  skipped %,d requests that are not object reads or writes: %s%n",
                    summary.skippedCount(), summary.skipped());
        }
        if (summary.badLineCount() > 0) {
            out.printf(Locale.ROOT, "  %,d bad lines%s:%n", summary.badLineCount(),
                    summary.badLineCount() > summary.badLines().size() ? ", the first " + summary.badLines().size()
                            : "");
            summary.badLines().forEach(bad -> out.println("    " + bad));
        }
    }
}
