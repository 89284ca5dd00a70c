package io.tierflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.ActivityView;
import io.tierflow.streams.DatasetView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The keyset order of sorted dataset lists, checked against a plain sort of everything. */
class DatasetSortTest {
    @Test
    void shouldPageThroughRandomHeatsExactlyAsASortOfEverythingWould() {
        Random random = new Random(22);
        for (int round = 0; round < 200; round++) {
            List<DatasetView> views = new ArrayList<>();
            int count = random.nextInt(60);
            for (int i = 0; i < count; i++) {
                // Few distinct heats, so ties (broken by key) are common.
                views.add(view("k" + random.nextInt(1000) + "-" + i, random.nextInt(5) * 0.5));
            }
            boolean descending = random.nextBoolean();
            DatasetSort sort = DatasetSort.parse("heat", descending ? "desc" : "asc");
            Comparator<DatasetView> plain = Comparator.comparingDouble((DatasetView v) -> v.activity().heat())
                    .thenComparing(DatasetView::key);
            List<String> expected = views.stream().sorted(descending ? plain.reversed() : plain)
                    .map(DatasetView::key).toList();

            int limit = 1 + random.nextInt(8);
            List<String> seen = new ArrayList<>();
            DatasetSort.Position cursor = null;
            while (true) {
                DatasetSort.FirstN<DatasetView> first = sort.first(limit + 1, sort::of);
                for (DatasetView view : views) {
                    if (sort.isAfter(sort.of(view), cursor)) {
                        first.offer(view);
                        assertTrue(first.size() <= limit + 1, "holds no more than a page and one");
                    }
                }
                List<DatasetView> page = first.inOrder();
                page.stream().limit(limit).forEach(v -> seen.add(v.key()));
                if (page.size() <= limit) {
                    break;
                }
                // Through the opaque form the client holds, as the API hands it out.
                cursor = DatasetSort.parseCursor(DatasetSort.cursor(sort.of(page.get(limit - 1))));
            }
            assertEquals(expected, seen, "round " + round);
        }
    }

    @Test
    void shouldGiveBackTheSamePositionFromACursorWhateverTheKeyHolds() {
        for (String key : List.of("plain", "with\nnewline", "ünï/cødé & <b>", "", "a=b&c")) {
            DatasetSort.Position position = new DatasetSort.Position(-3.25e-7, key);
            assertEquals(position, DatasetSort.parseCursor(DatasetSort.cursor(position)));
        }
        assertThrows(ApiException.class, () -> DatasetSort.parseCursor("not base64 !"));
        assertThrows(ApiException.class, () -> DatasetSort.parseCursor("bm8tbmV3bGluZQ")); // "no-newline"
    }

    private static DatasetView view(String key, double heat) {
        ActivityView activity = new ActivityView(0, 0, heat, 0, 0, Map.of(), 0, 0);
        return new DatasetView(key, null, activity, null, null, List.of(), null, null, null, null, null, -1, 0);
    }
}
