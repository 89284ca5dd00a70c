package io.tierflow.cli.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.api.WhatIfRunner;
import io.tierflow.localstack.Eventually;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.serde.InMemorySchemaRegistry;
import io.tierflow.streams.TieringSettings;
import io.tierflow.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The runner's bookkeeping without a broker: one run at a time, a run that cannot reach Kafka fails with a message,
 * the last few runs are kept, and the chart's samples are thinned with the total kept.
 */
class TopicWhatIfRunnerTest {
    /** Nothing listens there: every run fails once its Kafka timeout has passed. */
    private static final String NO_KAFKA = "127.0.0.1:1";
    private static final WhatIfRunner.Request REQUEST = new WhatIfRunner.Request(
            List.of(new WhatIfRunner.Candidate("p", ReplayScenario.policy(20))),
            Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z"));

    @Test
    void shouldRunOneAtATimeAndSayWhyARunFailed() throws Exception {
        try (TopicWhatIfRunner runner = runner(Duration.ofSeconds(2))) {
            String first = runner.start(REQUEST);
            WhatIfRunner.Busy busy = assertThrows(WhatIfRunner.Busy.class, () -> runner.start(REQUEST));
            assertEquals(first, busy.runningId());
            assertEquals(Optional.of(first), runner.latest());

            WhatIfRunner.Status failed = awaitEnd(runner, first);
            assertEquals(WhatIfRunner.State.FAILED, failed.state());
            assertTrue(failed.error().contains("could not read sites at " + NO_KAFKA), failed.error());
            assertEquals(null, failed.result());
            assertTrue(!failed.finishedAt().isBefore(failed.startedAt()));

            String second = runner.start(REQUEST); // the first has ended, so the runner is free at once
            assertTrue(!second.equals(first));
            awaitEnd(runner, second);
        }
    }

    @Test
    void shouldKeepTheLastFewRunsAndForgetOlderOnes() throws Exception {
        try (TopicWhatIfRunner runner = runner(Duration.ofMillis(200))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i <= TopicWhatIfRunner.KEPT_RUNS; i++) {
                ids.add(runner.start(REQUEST));
                awaitEnd(runner, ids.get(i));
            }
            assertEquals(Optional.empty(), runner.status(ids.get(0)), "the oldest forgotten");
            for (String id : ids.subList(1, ids.size())) {
                assertTrue(runner.status(id).isPresent(), id);
            }
            assertEquals(Optional.empty(), runner.status("unknown"));
        }
    }

    @Test
    void shouldThinTheChartsSamplesKeepingTheTotal() {
        for (int n : List.of(0, 1, 2, TopicWhatIfRunner.MAX_SAMPLES, TopicWhatIfRunner.MAX_SAMPLES + 1, 1_000, 12_345)) {
            List<PolicyCosts.Sample> samples = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                samples.add(new PolicyCosts.Sample(i * 60_000L, i * 0.5));
            }
            List<WhatIfRunner.Sample> kept = TopicWhatIfRunner.thinned(samples);
            assertTrue(kept.size() <= TopicWhatIfRunner.MAX_SAMPLES + 1, n + " → " + kept.size());
            assertEquals(n == 0, kept.isEmpty());
            if (n > 0) {
                assertEquals(samples.get(0).timeMs(), kept.get(0).timeMs());
                assertEquals(samples.get(n - 1).totalUsd(), kept.get(kept.size() - 1).totalUsd(), "the total kept");
                assertTrue(kept.size() >= Math.min(n, TopicWhatIfRunner.MAX_SAMPLES / 2), n + " → " + kept.size());
            }
            for (int i = 1; i < kept.size(); i++) {
                assertTrue(kept.get(i).timeMs() > kept.get(i - 1).timeMs(), "in time order, no repeats");
            }
        }
    }

    private static TopicWhatIfRunner runner(Duration timeout) {
        Topics topics = Topics.using(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                InMemorySchemaRegistry.URL_PREFIX + "runner-test"));
        return new TopicWhatIfRunner(NO_KAFKA, topics, TieringSettings.DEFAULTS, 1_000, timeout, Clock.systemUTC());
    }

    private static WhatIfRunner.Status awaitEnd(TopicWhatIfRunner runner, String id) throws Exception {
        WhatIfRunner.Status[] last = new WhatIfRunner.Status[1];
        Eventually.holds(Duration.ofSeconds(60), () -> "run " + id + " to end; last " + last[0], () -> {
            last[0] = runner.status(id).orElseThrow();
            return last[0].state() != WhatIfRunner.State.RUNNING;
        });
        return last[0];
    }
}
