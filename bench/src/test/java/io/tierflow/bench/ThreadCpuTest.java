package io.tierflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
    private static final long BURNED_NANOS = 80_000_000L;

    @Test
    void shouldCountTheCpuOfTheMatchingThreadsOnlyAndGroupThemByName() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread spinner = new Thread(() -> {
            while (!stop.get()) {
                Thread.onSpinWait();
            }
        }, "cpu-spinner-17");
        ThreadCpu before = ThreadCpu.of(name -> name.startsWith("cpu-spinner-"));
        spinner.start();
        try {
            ThreadCpu after;
            do { // until the spinner has burned enough CPU to show in every figure below
                after = ThreadCpu.of(name -> name.startsWith("cpu-spinner-"));
            } while (after.total() < BURNED_NANOS);

            assertEquals(1, after.nanos().size(), "only the matching thread");
            assertTrue(after.nanosSince(before) >= BURNED_NANOS, "a thread started since counts from zero");
            assertEquals(0, ThreadCpu.of(name -> name.equals("no such thread")).total());
            String groups = after.since(before, after.total());
            assertTrue(groups.matches("cpu-spinner-# \\d+\\.\\d\\d"), groups);
        } finally {
            stop.set(true);
            spinner.join();
        }
    }
}
