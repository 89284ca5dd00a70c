package io.tierflow.cli.train;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A generated trace with a known rule: datasets of the "periodic" family are read every few hours for the whole trace,
 * the "once" family's are read once, at a random time, and never again. A model that learns from the past should
 * recover the rule; one that learns from shuffled labels should not.
 */
final class PlantedTrace {
    static final long HOUR_MS = 3_600_000L;
    static final long DAY_MS = 24 * HOUR_MS;

    record Request(long timeMs, String key, long size) {
    }

    private PlantedTrace() {
    }

    static List<Request> generate(int periodic, int once, long days, long seed) {
        Random random = new Random(seed);
        List<Request> requests = new ArrayList<>();
        long span = days * DAY_MS;
        for (int i = 0; i < periodic; i++) {
            long size = 1_000 + random.nextInt(50_000_000);
            long every = (2 + random.nextInt(4)) * HOUR_MS; // every 2 to 5 hours
            for (long t = random.nextLong(every); t < span; t += every) {
                requests.add(new Request(t, "periodic/" + i, size));
            }
        }
        for (int i = 0; i < once; i++) {
            requests.add(new Request(random.nextLong(span), "once/" + i, 1_000 + random.nextInt(50_000_000)));
        }
        requests.sort(Comparator.comparingLong(Request::timeMs));
        return requests;
    }

    /** The requests into {@code builder}, starting at {@code startMs}, every one a GET of the whole object. */
    static void feed(List<Request> requests, long startMs, LabelledTableBuilder builder) {
        for (Request r : requests) {
            builder.access(r.key(), startMs + r.timeMs(), "GET", r.size(), "eu-west", null);
        }
    }

    /** The requests as a CSV trace with columns timestamp (s), key, size. */
    static void writeCsv(List<Request> requests, long startSeconds, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write("timestamp,key,size\n");
            for (Request r : requests) {
                out.write((startSeconds + r.timeMs() / 1000) + "," + r.key() + "," + r.size() + "\n");
            }
        }
    }
}
