package io.tierflow.migrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The RETIREs read again from a deferred range: bounded by datasets and a limit, never one superseded in the range. */
class ReplayedRetiresTest {
    private static final TopicPartition PARTITION = new TopicPartition("migration-commands", 0);

    @Test
    void shouldHoldOnlyTheNewestRetireOfEachDatasetHoweverLongTheRange() {
        ReplayedRetires held = new ReplayedRetires(1000);
        PartitionProgress progress = new PartitionProgress(1, 100_000, PartitionProgress.DEFERRED_FROM + 0);
        Random random = new Random(18);
        long[] newestRetire = new long[3];
        long[] newestAny = new long[3];
        for (int offset = 0; offset < 100_000; offset++) {
            int dataset = random.nextInt(3);
            boolean retire = random.nextInt(4) > 0;
            long sequence = offset + 1L;
            if (retire) {
                progress.deferred(offset);
                newestRetire[dataset] = sequence;
            }
            newestAny[dataset] = sequence;
            ReplayedRetires.Taken taken = held.take(task(offset, "ds-" + dataset, sequence, retire), retire);
            taken.dropped().forEach(dropped -> progress.finished(dropped.offset()));
            assertTrue(taken.release().isEmpty(), "three datasets are within the limit");
        }

        List<CommandTask> run = held.release();
        Set<String> datasets = new HashSet<>();
        for (CommandTask task : run) {
            int dataset = Integer.parseInt(task.command().getKey().substring(3));
            assertEquals(newestRetire[dataset], task.command().getSequence(), "the newest RETIRE of its dataset");
            assertEquals(newestAny[dataset], newestRetire[dataset], "and no newer command of it came after");
            datasets.add(task.command().getKey());
        }
        assertEquals(run.size(), datasets.size(), "one per dataset");
        assertEquals(run.size(), progress.deferredCount(), "every dropped RETIRE is done with, so the range shrinks");
    }

    @Test
    void shouldReleaseTheHeldRetiresOnceMoreDatasetsThanTheLimitWait() {
        ReplayedRetires held = new ReplayedRetires(3);
        List<CommandTask> released = new ArrayList<>();
        for (int offset = 0; offset < 10; offset++) {
            released.addAll(held.take(task(offset, "ds-" + offset, offset + 1, true), true).release());
            assertTrue(held.size() <= 3, "never more than the limit held");
        }
        released.addAll(held.release());
        assertEquals(10, released.size(), "none lost: each runs, early or at the end of the range");
    }

    private static CommandTask task(long offset, String key, long sequence, boolean retire) {
        MigrationCommand command = MigrationCommand.newBuilder().setId("c-" + offset).setKey(key)
                .setAction(retire ? MigrationAction.RETIRE : MigrationAction.COPY).setSourceSite("azure")
                .setDestinationSite(retire ? "azure" : "aws").setStorageClass("STANDARD")
                .setExpectedVersionToken("\"v1\"").setExpectedSha256("00").setSizeBytes(1).setSequence(sequence)
                .setKeepSite(retire ? "aws" : null).setIssuedAt(Instant.EPOCH).build();
        return new CommandTask(command, PARTITION, offset, 1, 1, false, true);
    }
}
