package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AlertGroupsTest {
    @Test
    void shouldTellAGroupFromAnAlertAboutOneSubject() {
        String group = AlertGroups.id("LATENCY_SLA", AlertGroups.BY_SITE, "aws");
        assertEquals("LATENCY_SLA:site=aws", group);
        assertTrue(AlertGroups.isGroup(group));
        assertTrue(AlertGroups.isGroup(AlertGroups.id("TRAFFIC_SPIKE", AlertGroups.BY_POLICY, "default")));
        assertEquals("site=aws", AlertGroups.subject(group));
        assertEquals("LATENCY_SLA", AlertGroups.type(group));

        assertFalse(AlertGroups.isGroup("TRAFFIC_SPIKE:datasets/site=aws"), "a dataset key, not a cause");
        assertFalse(AlertGroups.isGroup("SITE_DOWN:aws"));
        assertFalse(AlertGroups.isGroup("MIGRATION_BACKLOG:global"));
        assertFalse(AlertGroups.isGroup("no-type"));
    }
}
