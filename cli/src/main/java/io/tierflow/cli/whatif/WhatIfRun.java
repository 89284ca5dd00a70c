package io.tierflow.cli.whatif;

import io.tierflow.cli.trace.SiteChoice;
import io.tierflow.schemas.Policy;
import io.tierflow.streams.domain.SiteOffer;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One what-if: the source read once, each input serialized once and handed to every policy's replay (so N policies
 * cost one read of the input and N topology runs, side by side on threads of their own: {@link ParallelReplays}) and
 * noted for the baselines, then each replay finished at the same end time and priced, and the baselines and the
 * offline optimum priced on the same inputs ({@link BaselineRows}).
 */
final class WhatIfRun {
    /** A policy under test and the name of its row. */
    record Candidate(String name, Policy policy) {
    }

    /** The report and the inputs read. */
    record Outcome(WhatIfReport report, long inputs, long deadLetters) {
    }

    private WhatIfRun() {
    }

    private static Map<String, SiteOffer> offers(WhatIfSetup setup) {
        Map<String, SiteOffer> offers = new LinkedHashMap<>();
        setup.sites().forEach((name, site) -> offers.put(name, SiteChoice.offer(site)));
        return offers;
    }

    /**
     * @param end the end of the period priced, or null for the last input's time
     */
    static Outcome run(ReplaySource source, WhatIfSetup setup, List<Candidate> candidates, Instant end)
            throws IOException {
        if (candidates.isEmpty()) {
            throw new WhatIfException("no policy to replay: give --policy FILE (one or more) or --live-policy");
        }
        List<PolicyReplay> replays = new ArrayList<>();
        Set<String> names = new HashSet<>();
        InputEncoding encoding = new InputEncoding();
        try {
            for (Candidate candidate : candidates) {
                String name = candidate.name();
                for (int n = 2; !names.add(name); n++) {
                    name = candidate.name() + "#" + n; // two files naming the same policy: both kept, told apart
                }
                replays.add(new PolicyReplay(name, setup, candidate.policy(), encoding));
            }
            long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
            BaselineRows baselines = new BaselineRows();
            List<PolicyCosts> rows;
            List<PolicyCosts> baselineRows;
            long inputs;
            long endMs;
            try (ParallelReplays parallel = new ParallelReplays(replays, encoding)) {
                inputs = source.replay(input -> {
                    baselines.accept(input);
                    span[0] = Math.min(span[0], input.timeMs());
                    span[1] = Math.max(span[1], input.timeMs());
                    parallel.offer(input);
                });
                if (span[0] == Long.MAX_VALUE) {
                    throw new WhatIfException("nothing to replay: " + source.description() + " has no records"
                            + " in the range asked for");
                }
                endMs = end != null ? end.toEpochMilli() : span[1];
                parallel.finishAt(endMs);
                // priced here while the replays finish on their threads
                baselineRows = baselines.rows(offers(setup), candidates.get(0).policy().getDefaultLatencySlaMs(),
                        endMs);
                rows = new ArrayList<>(parallel.costs());
            }
            long deadLetters = replays.stream().mapToLong(PolicyReplay::deadLetters).sum();
            Double optimum = baselineRows.isEmpty() ? null : baselineRows.get(baselineRows.size() - 1).total();
            rows.addAll(baselineRows);
            WhatIfReport report = new WhatIfReport(source.description(), Instant.ofEpochMilli(span[0]),
                    Instant.ofEpochMilli(endMs), rows, optimum);
            return new Outcome(report, inputs, deadLetters);
        } finally {
            replays.forEach(PolicyReplay::close);
            encoding.close();
        }
    }
}
