package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WorstMembersTest {
    private record Member(String subject, double value) {
    }

    private static final Comparator<Member> WORSE_FIRST =
            Comparator.comparingDouble(Member::value).reversed().thenComparing(Member::subject);

    @Test
    void shouldKeepTheWorstFewOfManyAsSortingThemAllWould() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int n = random.nextInt(300);
            int keep = 1 + random.nextInt(8);
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // Few distinct values, so ties are common and the subject must break them.
                members.add(new Member("d" + random.nextInt(1_000_000), random.nextInt(20)));
            }
            WorstMembers<Member> worst = new WorstMembers<>(keep, WORSE_FIRST);
            members.forEach(worst::add);

            List<Member> sorted = new ArrayList<>(members);
            sorted.sort(WORSE_FIRST);
            assertEquals(n, worst.count());
            assertEquals(sorted.subList(0, Math.min(keep, n)), worst.worst(), "round " + round);
        }
    }

    @Test
    void shouldGiveTheSameExamplesWhateverOrderMembersComeIn() {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            members.add(new Member("d" + i, i % 5));
        }
        WorstMembers<Member> inOrder = new WorstMembers<>(3, WORSE_FIRST);
        members.forEach(inOrder::add);
        Collections.shuffle(members, new Random(1));
        WorstMembers<Member> shuffled = new WorstMembers<>(3, WORSE_FIRST);
        members.forEach(shuffled::add);
        assertEquals(inOrder.worst(), shuffled.worst());
        assertEquals(List.of(new Member("d14", 4), new Member("d19", 4), new Member("d24", 4)), inOrder.worst());
    }

    @Test
    void shouldRefuseToKeepNone() {
        assertThrows(IllegalArgumentException.class, () -> new WorstMembers<>(0, WORSE_FIRST));
    }
}
