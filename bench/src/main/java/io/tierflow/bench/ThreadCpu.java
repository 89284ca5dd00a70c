package io.tierflow.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * CPU time so far of live threads of this JVM, by thread id: how the suites split a run's CPU between the code they
 * measure and what shares the JVM with it (broker, S3 sites, HTTP servers). Threads that ended are not in it.
 *
 * @param nanos CPU nanoseconds per thread id
 * @param names thread name per thread id
 */
record ThreadCpu(Map<Long, Long> nanos, Map<Long, String> names) {

    /** Every live thread. */
    static ThreadCpu now() {
        return of(name -> true);
    }

    /** The live threads whose name matches. */
    static ThreadCpu of(Predicate<String> threadName) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> nanos = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && threadName.test(info.getThreadName())) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) { // -1: the thread ended meanwhile
                    nanos.put(info.getThreadId(), cpu);
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        return new ThreadCpu(nanos, names);
    }

    /** CPU time of this whole JVM so far, threads that ended, GC and JIT included. */
    static long processNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU nanoseconds of all these threads. */
    long total() {
        return nanos.values().stream().mapToLong(Long::longValue).sum();
    }

    /** CPU nanoseconds these threads used since {@code before} (a thread started since counts from zero). */
    long nanosSince(ThreadCpu before) {
        long total = 0;
        for (Map.Entry<Long, Long> e : nanos.entrySet()) {
            total += e.getValue() - before.nanos().getOrDefault(e.getKey(), 0L);
        }
        return total;
    }

    /**
     * CPU seconds per thread group (name without digits) since {@code before}, largest first, with what the
     * process used beyond them (threads that ended, GC, JIT) out of {@code processNanos}.
     */
    String since(ThreadCpu before, long processNanos) {
        Map<String, Long> groups = new TreeMap<>();
        long counted = 0;
        for (Map.Entry<Long, Long> e : nanos.entrySet()) {
            long delta = e.getValue() - before.nanos().getOrDefault(e.getKey(), 0L);
            groups.merge(names.get(e.getKey()).replaceAll("\\d+", "#"), delta, Long::sum);
            counted += delta;
        }
        groups.put("ended or not a thread (GC, JIT)", processNanos - counted);
        return groups.entrySet().stream().filter(e -> e.getValue() >= 50_000_000L)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e9))
                .collect(Collectors.joining(", "));
    }
}
