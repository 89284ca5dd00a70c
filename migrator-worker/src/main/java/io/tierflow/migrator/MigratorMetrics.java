package io.tierflow.migrator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationPhase;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The migrator's own meters, in base units and with low-cardinality tags only (action, phase, reason, site; never
 * a dataset key). Names are Micrometer's dotted form; a Prometheus registry shows them as
 * {@code tierflow_migration_commands_total}, {@code tierflow_migration_transfer_seconds_bucket}, and so on.
 */
public final class MigratorMetrics {
    private final MeterRegistry registry;
    private final Map<MigrationAction, Counter> commands = new EnumMap<>(MigrationAction.class);
    private final Map<MigrationPhase, Counter> statuses = new EnumMap<>(MigrationPhase.class);
    private final Map<MigrationAction, Timer> transfers = new EnumMap<>(MigrationAction.class);
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Map<String, Gauge> siteGauges = new ConcurrentHashMap<>();
    private final Counter bytesMoved;

    public MigratorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (MigrationAction action : MigrationAction.values()) {
            commands.put(action, Counter.builder("tierflow.migration.commands")
                    .description("Migration commands received").tag("action", action.name()).register(registry));
            transfers.put(action, Timer.builder("tierflow.migration.transfer")
                    .description("Time to execute one command attempt to its end (completed or failed)")
                    .tag("action", action.name())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofHours(1))
                    .register(registry));
        }
        for (MigrationPhase phase : MigrationPhase.values()) {
            statuses.put(phase, Counter.builder("tierflow.migration.status")
                    .description("Migration statuses written").tag("phase", phase.name()).register(registry));
        }
        // Every reason exists at zero from the start, so "no failures" is a series of zeros, not a missing metric.
        for (ErrorCode code : ErrorCode.values()) {
            failureCounter(code);
        }
        // Counted as "_total" without a unit suffix, as the dashboards expect tierflow_migration_bytes_moved_total.
        this.bytesMoved = Counter.builder("tierflow.migration.bytes.moved")
                .description("Bytes copied to a destination site and verified").register(registry);
    }

    /**
     * Binds the JVM's meters (memory, GC, threads, CPU) to {@code registry}: once per process, by whoever owns the
     * registry, not per worker. Close the result when the process is done with the registry.
     */
    public static AutoCloseable bindJvmMeters(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return gc;
    }

    /** The registry these meters live in, for binders that belong with them (Kafka clients, JVM). */
    public MeterRegistry registry() {
        return registry;
    }

    void commandReceived(MigrationAction action) {
        commands.get(action).increment();
    }

    void statusWritten(MigrationPhase phase) {
        statuses.get(phase).increment();
    }

    void failed(ErrorCode code) {
        failureCounter(code).increment();
    }

    private Counter failureCounter(ErrorCode code) {
        return failures.computeIfAbsent(code.code(), reason -> Counter.builder("tierflow.migration.failures")
                .description("Commands that ended FAILED, by error code").tag("reason", reason).register(registry));
    }

    void bytesMoved(long bytes) {
        bytesMoved.increment(bytes);
    }

    void transferTook(MigrationAction action, Duration duration) {
        transfers.get(action).record(duration);
    }

    /** Commands received and not finished yet, read when scraped. */
    <T> void backlog(T source, ToDoubleFunction<T> pending) {
        Gauge.builder("tierflow.migration.backlog", source, pending)
                .description("Migration commands received and not yet finished (completed or failed)")
                .register(registry);
    }

    /** 1 while the site's circuit breaker lets requests through, 0 while it is open or the site is marked down. */
    void site(String name, Supplier<Boolean> up) {
        siteGauges.computeIfAbsent(name, site -> Gauge.builder("tierflow.migration.site.up", () -> up.get() ? 1 : 0)
                .description("Whether the migrator considers the site up (its circuit breaker is not open)")
                .tag("site", site).register(registry));
    }
}
