package io.tierflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tierflow.schemas.Tier;
import io.tierflow.streams.DatasetView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * An order of the dataset list other than the stores' own key order ({@code /datasets?sort=heat&order=desc}), paged
 * by keyset: a page ends at a position (sort value, key) and the next page starts strictly after it. Each instance
 * keeps only the first {@code limit + 1} of its share after the cursor (a bounded heap, so memory does not grow with
 * the estate), and the answering instance merges the shares in the same order.
 */
final class DatasetSort {
    /** The fields a list can be sorted by, each read both from a view (the shares) and from a list item (the merge). */
    enum Field {
        KEY("key", v -> 0, item -> 0),
        SIZE_BYTES("sizeBytes", v -> v.inventory() == null ? -1 : v.inventory().getSizeBytes(),
                item -> item.path("sizeBytes").isNumber() ? item.get("sizeBytes").asDouble() : -1),
        HEAT("heat", v -> v.activity().heat(), item -> item.path("heat").asDouble()),
        COUNT_24H("count24h", v -> v.activity().count24h(), item -> item.path("count24h").asDouble()),
        // HOT > WARM > COLD (the enum lists the hottest first), undecided datasets below all of them.
        TIER("tier", v -> v.tier() == null ? 0 : Tier.values().length - v.tier().ordinal(),
                item -> item.path("tier").isTextual()
                        ? Tier.values().length - Tier.valueOf(item.get("tier").asText()).ordinal() : 0);

        final String param;
        private final ToDoubleFunction<DatasetView> ofView;
        private final ToDoubleFunction<JsonNode> ofItem;

        Field(String param, ToDoubleFunction<DatasetView> ofView, ToDoubleFunction<JsonNode> ofItem) {
            this.param = param;
            this.ofView = ofView;
            this.ofItem = ofItem;
        }

        /** The value a dataset sorts by in this field. */
        double of(DatasetView view) {
            return ofView.applyAsDouble(view);
        }
    }

    /** A place in the order: a dataset's sort value and key. */
    record Position(double value, String key) {
    }

    private final Field field;
    private final boolean descending;
    private final Comparator<Position> order;

    private DatasetSort(Field field, boolean descending) {
        this.field = field;
        this.descending = descending;
        Comparator<Position> ascending = Comparator.comparingDouble(Position::value).thenComparing(Position::key);
        this.order = descending ? ascending.reversed() : ascending;
    }

    /** The order named by {@code sort} and {@code order} (null: key, ascending); a bad name is a 400. */
    static DatasetSort parse(String sort, String order) {
        Field field = sort == null ? Field.KEY : Arrays.stream(Field.values()).filter(f -> f.param.equals(sort))
                .findFirst().orElseThrow(() -> ApiException.badRequest("sort must be one of "
                        + Arrays.stream(Field.values()).map(f -> f.param).toList() + ", not '" + sort + "'"));
        String direction = order == null ? "asc" : order.toLowerCase(Locale.ROOT);
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw ApiException.badRequest("order must be asc or desc, not '" + order + "'");
        }
        return new DatasetSort(field, direction.equals("desc"));
    }

    /** Whether this is the stores' own order, which pages by key range without a scan of every dataset. */
    boolean isStoreOrder() {
        return field == Field.KEY && !descending;
    }

    Position of(DatasetView view) {
        return new Position(field.ofView.applyAsDouble(view), view.key());
    }

    Position of(DatasetIndex.Row row) {
        return new Position(row.value(field), row.key());
    }

    Position of(JsonNode item) {
        return new Position(field.ofItem.applyAsDouble(item), item.get("key").asText());
    }

    Comparator<Position> order() {
        return order;
    }

    /** Whether a position comes after the cursor (null: the first page, everything does). */
    boolean isAfter(Position position, Position cursor) {
        return cursor == null || order.compare(position, cursor) > 0;
    }

    /** The opaque cursor that starts the page after {@code last}. */
    static String cursor(Position last) {
        String raw = Double.toString(last.value()) + "\n" + last.key();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor of {@link #cursor} stands for (null for none); anything else is a 400. */
    static Position parseCursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int newline = raw.indexOf('\n');
            return new Position(Double.parseDouble(raw.substring(0, newline)), raw.substring(newline + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw ApiException.badRequest("cursor is not one this API gave out for a sorted list: '" + cursor + "'");
        }
    }

    /** A holder of the first {@code capacity} things offered to it in this order, placed by {@code position}. */
    <T> FirstN<T> first(int capacity, Function<T, Position> position) {
        return new FirstN<>(capacity, position);
    }

    /** Keeps the first {@code capacity} things offered, in this order, holding no more than that many. */
    final class FirstN<T> {
        private final int capacity;
        private final Function<T, Position> position;
        // The heap's head is the last of the kept ones, the one a better one pushes out.
        private final PriorityQueue<Entry<T>> kept;

        private record Entry<T>(Position position, T value) {
        }

        private FirstN(int capacity, Function<T, Position> position) {
            this.capacity = capacity;
            this.position = position;
            this.kept = new PriorityQueue<>(capacity + 1,
                    Comparator.comparing((Entry<T> e) -> e.position(), order).reversed());
        }

        void offer(T value) {
            Position at = position.apply(value);
            if (kept.size() < capacity) {
                kept.add(new Entry<>(at, value));
            } else if (order.compare(at, kept.peek().position()) < 0) {
                kept.poll();
                kept.add(new Entry<>(at, value));
            }
        }

        /** How many are kept: never more than the capacity. */
        int size() {
            return kept.size();
        }

        /** The kept ones, first first. */
        List<T> inOrder() {
            List<Entry<T>> entries = new ArrayList<>(kept);
            entries.sort(Comparator.comparing((Entry<T> e) -> e.position(), order));
            return entries.stream().map(Entry::value).toList();
        }
    }
}
