package io.tierflow.streams;

/**
 * Layout of the {@code alert-members} store: the members of each group alert (the datasets for which its condition
 * holds), keyed {@code <group id> NUL <subject>} so a group's members are one contiguous range in subject order. NUL
 * cannot occur in a dataset key (keys are canonical) and sorts before every other character.
 */
public final class AlertMembers {
    private static final char SEPARATOR = '\0';

    private AlertMembers() {
    }

    public static String key(String group, String subject) {
        return group + SEPARATOR + subject;
    }

    /** Every member key of {@code group} starts with this. */
    public static String prefix(String group) {
        return group + SEPARATOR;
    }

    /** The first possible key after {@code subject}'s in {@code group} (a page's start after a cursor). */
    public static String keyAfter(String group, String subject) {
        return key(group, subject) + SEPARATOR;
    }

    /** A key past every member key of {@code group} and before any other group's (a range's inclusive end). */
    public static String endOf(String group) {
        return group + (char) (SEPARATOR + 1);
    }

    public static String group(String key) {
        return key.substring(0, key.indexOf(SEPARATOR));
    }

    public static String subject(String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }
}
