package io.tierflow.streams;

import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.AlertState;
import io.tierflow.streams.domain.AlertGroups;
import io.tierflow.streams.domain.AlertPacing;
import io.tierflow.streams.domain.WorstMembers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The group alerts of one alert-manager task: a member's signal joins or leaves its group ({@code alert-members}),
 * and the group is looked at (its members counted, its record published if that changed) at most once per
 * {@link AlertPacing#minPublishInterval}, the first time at once. Changes held back are published by
 * {@link #publishDue} (the manager's wall-clock punctuator). Looks are paced, not only publications: a look reads
 * every member, and members re-signalling without changing the record must not each pay for one.
 */
final class GroupAlerts {
    /** Members shown with a group alert. */
    static final int EXAMPLES = 5;
    /** The worse member first: higher value, then subject order (the same examples whatever order members came in). */
    private static final Comparator<AlertSignal> WORSE_FIRST = Comparator.comparingDouble(AlertSignal::getValue)
            .reversed().thenComparing(AlertSignal::getSubject);
    private static final StringSerializer KEYS = new StringSerializer();

    private final AlertPacing pacing;
    private final KeyValueStore<String, Alert> alerts;
    private final KeyValueStore<String, AlertSignal> members;
    private final BiConsumer<Alert, Long> publish;
    /** Groups changed since they were last published, with the event time of their latest change. */
    private final Map<String, Long> pending = new HashMap<>();
    /** When (wall clock) each group was last looked at; lost on restart, which at worst looks once early. */
    private final Map<String, Long> lastLook = new HashMap<>();

    /** @param publish stores and sends a group's record, with the timestamp to send it with */
    GroupAlerts(AlertPacing pacing, KeyValueStore<String, Alert> alerts, KeyValueStore<String, AlertSignal> members,
            BiConsumer<Alert, Long> publish) {
        this.pacing = pacing;
        this.alerts = alerts;
        this.members = members;
        this.publish = publish;
    }

    void onSignal(String group, AlertSignal signal, long wallClock) {
        String key = AlertMembers.key(group, signal.getSubject());
        if (signal.getFiring()) {
            members.put(key, signal);
        } else {
            members.delete(key);
        }
        pending.merge(group, signal.getAt(), Math::max);
        if (pacing.mayPublish(lastLook.getOrDefault(group, -1L), wallClock)) {
            look(group, wallClock);
        }
    }

    /** Publishes the held-back changes of every group whose interval has passed. */
    void publishDue(long wallClock) {
        for (String group : new ArrayList<>(pending.keySet())) {
            if (pacing.mayPublish(lastLook.getOrDefault(group, -1L), wallClock)) {
                look(group, wallClock);
            }
        }
    }

    /**
     * After a restart: a change held back before it is not in memory any more, so every group that has members or
     * is active is looked at again (published only where its record differs from its members).
     */
    void recover(long wallClock) {
        try (KeyValueIterator<String, Alert> all = alerts.all()) {
            all.forEachRemaining(kv -> {
                if (AlertGroups.isGroup(kv.key) && kv.value.getState() != AlertState.RESOLVED) {
                    pending.putIfAbsent(kv.key, wallClock);
                }
            });
        }
        try (KeyValueIterator<String, AlertSignal> all = members.all()) {
            all.forEachRemaining(kv -> pending.putIfAbsent(AlertMembers.group(kv.key), wallClock));
        }
    }

    /** Forgets a group whose record was deleted. */
    void forget(String group) {
        pending.remove(group);
        lastLook.remove(group);
    }

    private void look(String group, long wallClock) {
        long at = pending.remove(group);
        WorstMembers<AlertSignal> worst = new WorstMembers<>(EXAMPLES, WORSE_FIRST);
        try (KeyValueIterator<String, AlertSignal> all = members.prefixScan(AlertMembers.prefix(group), KEYS)) {
            all.forEachRemaining(kv -> worst.add(kv.value));
        }
        List<AlertSignal> examples = worst.worst();
        Alert next = GroupAlertRecords.next(group, alerts.get(group), worst.count(), examples, Instant.ofEpochMilli(at));
        if (next != null) {
            publish.accept(next, at);
        }
        lastLook.put(group, wallClock);
    }
}
