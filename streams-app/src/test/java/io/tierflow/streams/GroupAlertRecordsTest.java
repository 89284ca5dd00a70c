package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertExample;
import io.tierflow.schemas.AlertSignal;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupAlertRecordsTest {
    private static final String GROUP = "LATENCY_SLA:site=aws";
    private static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");

    private static AlertSignal member(String key, double value) {
        return AlertSignal.newBuilder().setAlertId("LATENCY_SLA:" + key).setGroup(GROUP).setType(AlertType.LATENCY_SLA)
                .setSeverity(Severity.WARNING).setSubject(key).setFiring(true).setValue(value).setThreshold(0.1)
                .setMessage(value + " slow reads").setAt(T0.toEpochMilli()).build();
    }

    @Test
    void shouldFireWithTheCountAndTheWorstMembers() {
        Alert fired = GroupAlertRecords.next(GROUP, null, 40, List.of(member("b", 9), member("a", 3)), T0);
        assertEquals(AlertState.FIRING, fired.getState());
        assertEquals(GROUP, fired.getId());
        assertEquals("site=aws", fired.getSubject());
        assertEquals(40, fired.getCount());
        assertEquals(List.of("b", "a"), fired.getExamples().stream().map(AlertExample::getSubject).toList());
        assertEquals(9, fired.getValue());
        assertEquals("40 datasets; worst b: 9.0 slow reads", fired.getMessage());
        assertEquals(T0, fired.getRaisedAt());
    }

    @Test
    void shouldKeepAnAcknowledgementWhileMembersRemainAndResolveWithTheLast() {
        Alert acked = Alert.newBuilder(GroupAlertRecords.next(GROUP, null, 2, List.of(member("b", 9)), T0))
                .setState(AlertState.ACKNOWLEDGED).setAcknowledgedBy("ops").build();
        Instant later = T0.plusSeconds(60);
        Alert grown = GroupAlertRecords.next(GROUP, acked, 3, List.of(member("c", 12)), later);
        assertEquals(AlertState.ACKNOWLEDGED, grown.getState());
        assertEquals("ops", grown.getAcknowledgedBy());
        assertEquals(3, grown.getCount());
        assertEquals(T0, grown.getRaisedAt());
        assertEquals(later, grown.getUpdatedAt());

        assertNull(GroupAlertRecords.next(GROUP, grown, 3, List.of(member("c", 12)), later.plusSeconds(60)),
                "the same members: nothing to publish");

        Alert resolved = GroupAlertRecords.next(GROUP, grown, 0, List.of(), later.plusSeconds(120));
        assertEquals(AlertState.RESOLVED, resolved.getState());
        assertEquals(0, resolved.getCount());
        assertEquals(List.of(), resolved.getExamples());
        assertNull(GroupAlertRecords.next(GROUP, resolved, 0, List.of(), later.plusSeconds(180)));
    }
}
