package io.tierflow.cli;

import io.tierflow.cli.traffic.OperatorBursts;
import io.tierflow.cli.traffic.TrafficGenerator;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.topics.Topic;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * The traffic loop of {@code tierflow produce}: sends the generator's events (and the operator's bursts) to the
 * access-events topic, paced by event time over --speedup unless unthrottled, until --events, --duration or Ctrl-C.
 */
final class TrafficSender {
    /** What the traffic loop sent, and how it ended. */
    static final class Summary {
        long sent;
        final SendOutcome outcome = new SendOutcome();
        Instant firstEventTime;
        Instant lastEventTime;
        long elapsedNanos;
        boolean interrupted;
        ProduceException failure;
    }

    private final ProduceConnection connection;
    private final ProduceTrafficOptions options;
    private final AtomicBoolean stopRequested;
    private final PrintWriter err;

    /** @param stopRequested set by Ctrl-C (and here, on interruption): the loop flushes and ends */
    TrafficSender(ProduceConnection connection, ProduceTrafficOptions options, AtomicBoolean stopRequested,
            PrintWriter err) {
        this.connection = connection;
        this.options = options;
        this.stopRequested = stopRequested;
        this.err = err;
    }

    Summary send(Topic<String, AccessEvent> topic, TrafficGenerator generator, OperatorBursts bursts) {
        Summary summary = new Summary();
        long durationNanos = options.duration == null ? Long.MAX_VALUE : options.duration.toNanos();
        long limit = options.events == null ? Long.MAX_VALUE : options.events;
        ProgressTimer progress = new ProgressTimer();
        long wallStart = System.nanoTime();
        try (KafkaProducer<String, AccessEvent> producer = new KafkaProducer<>(connection.producerProperties(),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            while (summary.sent < limit && !stopRequested.get() && !summary.outcome.hasFailed()) {
                AccessEvent event = generator.next();
                if (generator.offsetNanos() >= durationNanos) {
                    break;
                }
                if (!options.unthrottled) {
                    waitUntil(wallStart + (long) (generator.offsetNanos() / options.speedup), progress, summary,
                            wallStart);
                    if (stopRequested.get()) {
                        break;
                    }
                }
                for (AccessEvent extra : bursts.due(System.nanoTime(), event.getEventTime())) {
                    producer.send(new ProducerRecord<>(topic.name(), null, extra.getEventTime().toEpochMilli(),
                            extra.getKey(), extra), summary.outcome);
                    summary.sent++;
                }
                producer.send(new ProducerRecord<>(topic.name(), null, event.getEventTime().toEpochMilli(),
                        event.getKey(), event), summary.outcome);
                if (summary.firstEventTime == null) {
                    summary.firstEventTime = event.getEventTime();
                }
                summary.lastEventTime = event.getEventTime();
                summary.sent++;
                if (progress.due()) {
                    printProgress(summary, wallStart);
                }
            }
            summary.interrupted = stopRequested.get();
            if (summary.interrupted) {
                err.println("tierflow produce: stopping, flushing what was sent...");
                err.flush();
            }
            producer.flush();
        } catch (KafkaException e) {
            summary.outcome.failed(e);
        }
        summary.elapsedNanos = System.nanoTime() - wallStart;
        summary.failure = summary.outcome.toException(topic.name(), connection.bootstrapServers());
        return summary;
    }

    // Pacing: the event is due when the clock has advanced by its event-time offset divided by the speedup.
    private void waitUntil(long dueNanos, ProgressTimer progress, Summary summary, long wallStart) {
        long wait;
        while ((wait = dueNanos - System.nanoTime()) > 0 && !stopRequested.get()) {
            if (wait < 200_000) {
                return; // close enough: sending up to 0.2 ms early is no distortion at any sensible rate
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, 200_000_000L)); // short, to notice Ctrl-C and report
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopRequested.set(true);
                return;
            }
            if (progress.due()) {
                printProgress(summary, wallStart);
            }
        }
    }

    private void printProgress(Summary summary, long wallStart) {
        double elapsed = (System.nanoTime() - wallStart) / 1e9;
        err.printf(Locale.ROOT, "tierflow produce: %,d events sent, %,d acknowledged, %,.0f events/s, event time %s, "
                        + "%s elapsed%n", summary.sent, summary.outcome.acknowledged(), summary.sent / elapsed,
                summary.lastEventTime == null ? "-" : summary.lastEventTime, ProgressTimer.clock(elapsed));
        err.flush();
    }
}
