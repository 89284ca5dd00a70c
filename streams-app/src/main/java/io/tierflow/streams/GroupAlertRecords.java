package io.tierflow.streams;

import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertExample;
import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.streams.domain.AlertGroups;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The record of a group alert given its members now: fires with its first member, keeps its state (an acknowledged
 * group stays acknowledged while any member remains) and counts its members, resolves when the last one left.
 */
final class GroupAlertRecords {
    private GroupAlertRecords() {
    }

    /**
     * The group's next record, or null when nothing an operator sees has changed.
     *
     * @param current the group's record now, or null
     * @param count how many members the group has
     * @param worst its worst members, worst first (empty when it has none)
     * @param at event time of the latest change
     */
    static Alert next(String group, Alert current, long count, List<AlertSignal> worst, Instant at) {
        boolean active = current != null && current.getState() != AlertState.RESOLVED;
        if (count == 0) {
            return active ? Alert.newBuilder(current).setState(AlertState.RESOLVED).setCount(0)
                    .setExamples(List.of()).setUpdatedAt(at).build() : null;
        }
        AlertSignal first = worst.get(0);
        List<AlertExample> examples = worst.stream().map(m -> AlertExample.newBuilder().setSubject(m.getSubject())
                .setValue(m.getValue()).setMessage(m.getMessage()).build()).toList();
        String message = count + (count == 1 ? " dataset" : " datasets") + "; worst " + first.getSubject() + ": "
                + first.getMessage();
        if (!active) {
            return Alert.newBuilder().setId(group).setType(first.getType()).setSeverity(first.getSeverity())
                    .setState(AlertState.FIRING).setSubject(AlertGroups.subject(group)).setMessage(message)
                    .setValue(first.getValue()).setThreshold(first.getThreshold()).setRaisedAt(at).setUpdatedAt(at)
                    .setAcknowledgedBy(null).setCount(count).setExamples(examples).build();
        }
        if (current.getCount() == count && Objects.equals(current.getExamples(), examples)) {
            return null;
        }
        return Alert.newBuilder(current).setMessage(message).setValue(first.getValue())
                .setThreshold(first.getThreshold()).setCount(count).setExamples(examples).setUpdatedAt(at).build();
    }

    /** Whether {@code alert} is a traffic spike of one dataset from before grouping (no signal resolves it now). */
    static boolean isUngroupedSpike(Alert alert) {
        return alert.getType() == AlertType.TRAFFIC_SPIKE && !AlertGroups.isGroup(alert.getId());
    }
}
