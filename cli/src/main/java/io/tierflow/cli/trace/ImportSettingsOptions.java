package io.tierflow.cli.trace;

import io.tierflow.cli.Converters;
import io.tierflow.schemas.Site;
import io.tierflow.streams.domain.TieringPolicy;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of {@code tierflow import-trace} that say how requests become records (the site, the event time, the
 * extents, what a bad line does), checked up front and turned into {@link TraceImporter.Settings}. A picocli mixin of
 * {@link ImportTraceCommand}, so the options stay where they were in its help.
 */
public final class ImportSettingsOptions {
    @Option(names = "--site", paramLabel = "SITE",
            description = "Site the inventory says the objects are on (default: the catalogue's baseline site, "
                    + "the cheapest meeting the built-in policy's SLA).")
    String site;

    @Option(names = "--time-scale", paramLabel = "X",
            description = "Event seconds per trace second, to stretch a short trace over day-scale rules "
                    + "(default: ${DEFAULT-VALUE}).")
    double timeScale = 1;

    @Option(names = "--start", paramLabel = "INSTANT",
            description = "Event time of the first request, e.g. 2026-01-05T00:00:00Z (default: the trace's own "
                    + "time when it is a wall clock, else " + "2025-01-01T00:00:00Z).")
    Instant start;

    @Option(names = "--extent-bytes", paramLabel = "SIZE", converter = Converters.ByteSizeConverter.class,
            description = "Group block I/O into objects of SIZE: the object ids are 512-byte block numbers and the "
                    + "key is block*512/SIZE (default: no grouping).")
    long extentBytes;

    @Option(names = "--strict", description = "Stop at the first bad line.")
    boolean strict;

    @Option(names = "--show-bad-lines", paramLabel = "N",
            description = "How many bad lines to show (default: ${DEFAULT-VALUE}).")
    int showBadLines = 10;

    /** Checks what {@link TraceImporter.Settings} would refuse, as a usage error of {@code commandLine}. */
    public void check(CommandLine commandLine) {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new ParameterException(commandLine, "--time-scale must be a positive number");
        }
        if (extentBytes < 0 || extentBytes % 512 != 0) {
            throw new ParameterException(commandLine, "--extent-bytes must be a multiple of 512");
        }
    }

    /** The site of a dry run, which reads no catalogue: the one named, as far as its name goes. */
    TraceSite unreadSite() {
        return new TraceSite(site == null ? "baseline" : site, "unknown", "STANDARD", 0);
    }

    /** The site named, or the catalogue's baseline for the built-in policy; a one-line reason if there is none. */
    public TraceSite chooseSite(List<Site> catalogue) {
        try {
            return SiteChoice.choose(catalogue, site, TieringPolicy.BUILT_IN.defaultSlaMs());
        } catch (IllegalArgumentException e) {
            throw new TraceImportException(e.getMessage());
        }
    }

    /**
     * @param latestEventTime no event may be later; null for no limit
     */
    public TraceImporter.Settings settings(String importName, TraceSite traceSite, boolean idsArePaths,
            Instant latestEventTime) {
        return new TraceImporter.Settings(importName, traceSite, start, timeScale, extentBytes, idsArePaths,
                latestEventTime, strict, showBadLines);
    }
}
