package io.tierflow.streams;

import io.tierflow.schemas.CostLedger;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.PendingCost;
import io.tierflow.streams.domain.CostModel;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Charges costs to the cost ledger: read costs as they happen (kept in the dataset's own state, so the hot path
 * writes nothing else) and storage over time, both flushed into the ledger whenever the dataset is evaluated —
 * and the same for the everything-hot baseline.
 */
final class CostLedgerWriter {
    static final String BASELINE = "baseline";
    private final KeyValueStore<String, CostLedger> ledger;
    private final Catalogue catalogue;

    CostLedgerWriter(KeyValueStore<String, CostLedger> ledger, Catalogue catalogue) {
        this.ledger = ledger;
        this.catalogue = catalogue;
    }

    static String key(String site, Tier tier) {
        return site + "|" + tier.name();
    }

    /** Adds one read to the dataset's pending costs. */
    void read(DatasetState state, String clientRegion, long bytes, double latencyMs, double slaMs) {
        SiteOffer primary = catalogue.site(state.getPrimarySite());
        Tier tier = StateMapper.tier(state.getTier());
        if (primary == null || tier == null) {
            return;
        }
        Optional<SiteOffer.StorageClassOffer> storageClass = classAt(primary, state.getStorageClass(), tier);
        if (storageClass.isEmpty()) {
            return;
        }
        CostModel.ReadCost cost = CostModel.read(primary, storageClass.get(), clientRegion, bytes);
        PendingCost pending = state.getPendingCost();
        pending.setEgressUsd(pending.getEgressUsd() + cost.egressUsd());
        pending.setRequestUsd(pending.getRequestUsd() + cost.requestUsd());
        pending.setRetrievalUsd(pending.getRetrievalUsd() + cost.retrievalUsd());
        pending.setReads(pending.getReads() + 1);
        pending.setBytesRead(pending.getBytesRead() + bytes);
        if (tier == Tier.HOT && latencyMs > slaMs) {
            pending.setSlaMisses(pending.getSlaMisses() + 1);
        }
        catalogue.baselineSite().ifPresent(base -> {
            CostModel.ReadCost baseline = CostModel.read(base, base.classFor(Tier.HOT).orElseThrow(), clientRegion, bytes);
            pending.setBaselineEgressUsd(pending.getBaselineEgressUsd() + baseline.egressUsd());
            pending.setBaselineRequestUsd(pending.getBaselineRequestUsd() + baseline.requestUsd());
        });
    }

    /** Charges storage up to {@code now} and the pending read costs to the ledger, then clears them. */
    void accrue(DatasetState state, long now) {
        Tier tier = StateMapper.tier(state.getTier());
        long since = state.getCostAccruedAt();
        if (tier != null && since > 0 && now > since && state.getInventory() != null) {
            long size = state.getInventory().getSizeBytes();
            double gbMonths = CostModel.gbMonths(size, since, now);
            List<String> copies = new ArrayList<>(state.getReplicaSites());
            copies.add(0, state.getPrimarySite());
            for (int i = 0; i < copies.size(); i++) {
                SiteOffer site = catalogue.site(copies.get(i));
                if (site == null) {
                    continue;
                }
                Optional<SiteOffer.StorageClassOffer> storageClass =
                        classAt(site, i == 0 ? state.getStorageClass() : null, tier);
                if (storageClass.isEmpty()) {
                    continue;
                }
                CostLedger entry = entry(site.name(), tier, false, now);
                entry.setGbMonths(entry.getGbMonths() + gbMonths);
                entry.setStorageUsd(entry.getStorageUsd() + gbMonths * storageClass.get().storagePerGbMonth());
                if (i == 0) {
                    addReads(entry, state.getPendingCost());
                }
                ledger.put(key(site.name(), tier), entry);
            }
            catalogue.baselineSite().ifPresent(base -> {
                CostLedger entry = entry(base.name(), Tier.HOT, true, now);
                PendingCost pending = state.getPendingCost();
                entry.setGbMonths(entry.getGbMonths() + gbMonths);
                entry.setStorageUsd(entry.getStorageUsd() + gbMonths * base.classFor(Tier.HOT).orElseThrow()
                        .storagePerGbMonth());
                entry.setEgressUsd(entry.getEgressUsd() + pending.getBaselineEgressUsd());
                entry.setRequestUsd(entry.getRequestUsd() + pending.getBaselineRequestUsd());
                entry.setReads(entry.getReads() + pending.getReads());
                entry.setBytesRead(entry.getBytesRead() + pending.getBytesRead());
                ledger.put(BASELINE + "|" + Tier.HOT.name(), entry);
            });
        }
        state.setPendingCost(PendingCost.newBuilder().build());
        state.setCostAccruedAt(now);
    }

    private static void addReads(CostLedger entry, PendingCost pending) {
        entry.setEgressUsd(entry.getEgressUsd() + pending.getEgressUsd());
        entry.setRequestUsd(entry.getRequestUsd() + pending.getRequestUsd());
        entry.setRetrievalUsd(entry.getRetrievalUsd() + pending.getRetrievalUsd());
        entry.setReads(entry.getReads() + pending.getReads());
        entry.setBytesRead(entry.getBytesRead() + pending.getBytesRead());
        entry.setSlaMisses(entry.getSlaMisses() + pending.getSlaMisses());
    }

    private CostLedger entry(String site, Tier tier, boolean baseline, long now) {
        String key = baseline ? BASELINE + "|" + tier.name() : key(site, tier);
        CostLedger entry = ledger.get(key);
        if (entry == null) {
            entry = CostLedger.newBuilder().setSite(site).setTier(StateMapper.tier(tier)).setBaseline(baseline).build();
        }
        entry.setSite(site);
        entry.setUpdatedAt(Math.max(entry.getUpdatedAt(), now));
        return entry;
    }

    /** The class a copy is actually in when known, else the class the site uses for the tier. */
    static Optional<SiteOffer.StorageClassOffer> classAt(SiteOffer site, String className, Tier tier) {
        if (className != null) {
            Optional<SiteOffer.StorageClassOffer> named = site.classes().stream()
                    .filter(c -> c.name().equals(className)).findFirst();
            if (named.isPresent()) {
                return named;
            }
        }
        return site.classFor(tier);
    }
}
