package io.tierflow.cli.whatif;

import io.tierflow.schemas.AccessOp;
import io.tierflow.streams.domain.CostModel;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.cost.Baselines;
import io.tierflow.streams.domain.cost.CostBreakdown;
import io.tierflow.streams.domain.cost.ObjectAccesses;
import io.tierflow.streams.domain.cost.OfflineOptimum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The rows every policy is read against, priced by the shared cost model from the same inputs: everything hot,
 * S3-Intelligent-Tiering's rules, lifecycle by age, and the offline optimum (per object, knowing its future), each on
 * the baseline site (the cheapest meeting the SLA with a hot class: {@link CostModel#baselineSite}). Collects each
 * dataset's size and reads as the inputs go by, in primitive arrays: a trace holds millions.
 */
final class BaselineRows {
    static final String OPTIMUM = "offline-optimum";

    private static final class Tracked {
        final long createdAtMs;
        long sizeBytes;
        int count;
        long[] at = new long[4];
        long[] bytes = new long[4];
        String[] regions = new String[4];

        Tracked(long createdAtMs) {
            this.createdAtMs = createdAtMs;
        }

        void read(long atMs, long readBytes, String region) {
            if (count == at.length) {
                at = Arrays.copyOf(at, count * 2);
                bytes = Arrays.copyOf(bytes, count * 2);
                regions = Arrays.copyOf(regions, count * 2);
            }
            at[count] = atMs;
            bytes[count] = readBytes;
            regions[count++] = region;
        }
    }

    private final Map<String, Tracked> objects = new LinkedHashMap<>();
    /** One String per region name: events each carry their own copy. */
    private final Map<String, String> regions = new HashMap<>();

    /** Takes note of an input: an inventory record's size, a GET's time, bytes and region. */
    void accept(ReplayInput input) {
        if (input instanceof ReplayInput.Inventory inventory && inventory.dataset() != null) {
            objects.computeIfAbsent(inventory.key(), k -> new Tracked(inventory.timeMs())).sizeBytes =
                    inventory.dataset().getSizeBytes();
        } else if (input instanceof ReplayInput.Access access && access.event().getOp() == AccessOp.GET) {
            Tracked object = objects.get(access.key());
            if (object != null) { // a read before any inventory is not priced by the replay either
                String region = regions.computeIfAbsent(access.event().getClientRegion(), r -> r);
                object.read(Math.max(access.timeMs(), object.createdAtMs), access.event().getBytes(), region);
            }
        }
    }

    /**
     * The baseline rows and the optimum, last; empty when no site meets {@code slaMs} with a hot class.
     */
    List<PolicyCosts> rows(Map<String, SiteOffer> sites, double slaMs, long endMs) {
        SiteOffer site = CostModel.baselineSite(new ArrayList<>(sites.values()), slaMs).orElse(null);
        if (site == null) {
            return List.of();
        }
        Map<String, BiFunction<ObjectAccesses, Long, CostBreakdown>> strategies = new LinkedHashMap<>();
        strategies.put("all-hot", (o, end) -> Baselines.allHot(o, site, end).cost());
        strategies.put("intelligent-tiering", (o, end) -> Baselines.intelligentTiering(o, site, end).cost());
        strategies.put("lifecycle-by-age", (o, end) -> Baselines.lifecycleByAge(o, site, end).cost());
        strategies.put(OPTIMUM, (o, end) -> OfflineOptimum.price(o, site, end).cost());
        Map<String, CostBreakdown> totals = new LinkedHashMap<>();
        strategies.keySet().forEach(name -> totals.put(name, CostBreakdown.ZERO));
        objects.forEach((key, object) -> {
            ObjectAccesses accesses = accesses(key, object);
            long end = Math.max(endMs, object.count == 0 ? object.createdAtMs : accesses.accessAtMs()[object.count - 1]);
            strategies.forEach((name, price) -> totals.put(name, totals.get(name).plus(price.apply(accesses, end))));
        });
        List<PolicyCosts> rows = new ArrayList<>();
        totals.forEach((name, cost) -> rows.add(PolicyCosts.priced(name + " @" + site.name(), cost)));
        return rows;
    }

    private static ObjectAccesses accesses(String key, Tracked object) {
        long[] at = Arrays.copyOf(object.at, object.count);
        long[] bytes = Arrays.copyOf(object.bytes, object.count);
        String[] regions = Arrays.copyOf(object.regions, object.count);
        boolean sorted = true;
        for (int i = 1; i < at.length && sorted; i++) {
            sorted = at[i] >= at[i - 1];
        }
        if (!sorted) { // a trace slightly out of order: sort the reads with their bytes and regions
            List<ObjectAccesses.Access> list = new ArrayList<>();
            for (int i = 0; i < at.length; i++) {
                list.add(new ObjectAccesses.Access(at[i], bytes[i], regions[i]));
            }
            return ObjectAccesses.of(key, object.sizeBytes, object.createdAtMs, list);
        }
        return new ObjectAccesses(key, object.sizeBytes, object.createdAtMs, at, bytes, regions);
    }
}
