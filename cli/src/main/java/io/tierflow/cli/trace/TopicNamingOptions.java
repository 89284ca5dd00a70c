package io.tierflow.cli.trace;

import io.tierflow.topics.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of {@code tierflow import-trace} that name the import and its two topics, and the rules for those
 * names: a what-if pair after the import's name by default, never the live topics unless asked. A picocli mixin of
 * {@link ImportTraceCommand}, so the options stay where they were in its help.
 */
final class TopicNamingOptions {
    /**
     * What an import is called and where it writes.
     *
     * @param importName the topics' names, the datasets' owner and key prefix, part of the event ids
     */
    record Names(String importName, String datasetsTopic, String eventsTopic) {
    }

    @Option(names = "--name", paramLabel = "NAME",
            description = "Name of the import: the topics' names, the datasets' owner and key prefix, the event ids "
                    + "(default: the first PATH's name up to its first dot).")
    String name;

    @Option(names = "--datasets-topic", paramLabel = "TOPIC",
            description = "Topic for the inventory records (default: whatif-<name>-datasets).")
    String datasetsTopic;

    @Option(names = "--events-topic", paramLabel = "TOPIC",
            description = "Topic for the access events (default: whatif-<name>-access-events).")
    String eventsTopic;

    @Option(names = "--into-live-topics",
            description = "Allow --datasets-topic/--events-topic to be the live datasets and access-events topics.")
    boolean intoLiveTopics;

    /**
     * The names for an import of {@code firstPath} (and maybe more paths).
     *
     * @throws ParameterException (a usage error of {@code commandLine}) for a name that cannot be part of a topic's,
     *     the live topics without --into-live-topics, or one topic for both
     */
    Names names(Path firstPath, CommandLine commandLine) {
        String importName = importName(firstPath, commandLine);
        String datasets = datasetsTopic != null ? datasetsTopic : "whatif-" + importName + "-datasets";
        String events = eventsTopic != null ? eventsTopic : "whatif-" + importName + "-access-events";
        List<String> live = List.of(Topics.DATASETS, Topics.ACCESS_EVENTS);
        if (!intoLiveTopics && (live.contains(datasets) || live.contains(events))) {
            throw new ParameterException(commandLine, "refusing to write to the live topics "
                    + Topics.DATASETS + "/" + Topics.ACCESS_EVENTS + " without --into-live-topics");
        }
        if (datasets.equals(events)) {
            throw new ParameterException(commandLine, "the datasets and events topics must differ");
        }
        return new Names(importName, datasets, events);
    }

    private String importName(Path firstPath, CommandLine commandLine) {
        String chosen = name;
        if (chosen == null) {
            Path named = firstPath.toAbsolutePath().normalize().getFileName();
            String file = named == null ? "trace" : named.toString();
            int dot = file.indexOf('.');
            chosen = (dot > 0 ? file.substring(0, dot) : file).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        }
        if (!chosen.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,100}")) {
            throw new ParameterException(commandLine, "--name '" + chosen + "' must be letters, digits, '.', "
                    + "'_' or '-' (it becomes part of topic names)");
        }
        return chosen;
    }
}
