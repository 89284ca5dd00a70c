package io.tierflow.streams.domain;

/**
 * Ids of group alerts: one alert for every dataset with the same condition from the same cause, so a storm on a
 * thousand datasets is one alert with a count, not a thousand. An id is {@code <TYPE>:<cause kind>=<cause>}, e.g.
 * {@code LATENCY_SLA:site=aws}; the part after the type is the group's subject.
 */
public final class AlertGroups {
    /** The traffic-spike alerts of datasets under one policy are one group (there is one policy in force). */
    public static final String BY_POLICY = "policy";
    /** Latency and cost alerts are grouped by the site holding the datasets' primary copies. */
    public static final String BY_SITE = "site";

    private AlertGroups() {
    }

    public static String id(String type, String causeKind, String cause) {
        return type + ":" + causeKind + "=" + cause;
    }

    /**
     * Whether {@code alertId} names a group (an alert about one subject is {@code <TYPE>:<subject>}). A dataset key
     * shaped like a cause ({@code site=aws}) would read as one: the only cost is that such a dataset's alert from before
     * grouping is not resolved by the sweep of ungrouped traffic spikes.
     */
    public static boolean isGroup(String alertId) {
        int colon = alertId.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String subject = alertId.substring(colon + 1);
        return subject.startsWith(BY_POLICY + "=") || subject.startsWith(BY_SITE + "=");
    }

    /** What the group is about: its id without the type, e.g. {@code site=aws}. */
    public static String subject(String groupId) {
        return groupId.substring(groupId.indexOf(':') + 1);
    }

    /** The type part of an alert id (group or not). */
    public static String type(String alertId) {
        int colon = alertId.indexOf(':');
        return colon < 0 ? alertId : alertId.substring(0, colon);
    }
}
