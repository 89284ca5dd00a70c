package io.tierflow.streams;

import io.tierflow.schemas.CostLedger;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.PendingCost;
import io.tierflow.streams.domain.CostModel;
import io.tierflow.streams.domain.ReadTally;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Charges costs to the cost ledger: storage over time, and the reads a dataset's activity tallied since the last
 * charge (counted raw per client region on the event path, priced here), whenever the dataset is evaluated — and the
 * same for the everything-hot baseline.
 */
final class CostLedgerWriter {
    static final String BASELINE = "baseline";
    private final WriteBehindStore<CostLedger> ledger;
    private final Catalogue catalogue;

    /**
     * @param ledger the cost-ledger store: its entries are changed in place ({@link WriteBehindStore#getForUpdate}),
     *     so the caller ends each record's changes with {@link #finishUpdates}
     */
    CostLedgerWriter(WriteBehindStore<CostLedger> ledger, Catalogue catalogue) {
        this.ledger = ledger;
        this.catalogue = catalogue;
    }

    static String key(String site, Tier tier) {
        return site + "|" + tier.name();
    }

    /** Read costs of a dataset not yet charged, priced as read from its primary copy, and at the baseline. */
    record ReadCosts(double egressUsd, double requestUsd, double retrievalUsd, long reads, long bytesRead,
            long slaMisses, double baselineEgressUsd, double baselineRequestUsd) {
        double chargedUsd() {
            return egressUsd + requestUsd + retrievalUsd;
        }
    }

    /**
     * Prices the tallied reads at the dataset's primary copy (its tier, site and class have not changed since they
     * were counted: every change is charged first), plus costs priced by an earlier version and kept in the record.
     * Reads of a dataset that has no priceable primary copy cost nothing, as before they were counted.
     */
    ReadCosts price(DatasetState state, ReadTally tally) {
        PendingCost legacy = state.getPendingCost();
        double egress = legacy.getEgressUsd();
        double request = legacy.getRequestUsd();
        double retrieval = legacy.getRetrievalUsd();
        long reads = legacy.getReads();
        long bytes = legacy.getBytesRead();
        long slaMisses = legacy.getSlaMisses();
        double baselineEgress = legacy.getBaselineEgressUsd();
        double baselineRequest = legacy.getBaselineRequestUsd();
        SiteOffer primary = catalogue.site(state.getPrimarySite());
        Tier tier = StateMapper.tier(state.getTier());
        Optional<SiteOffer.StorageClassOffer> storageClass = primary == null || tier == null ? Optional.empty()
                : classAt(primary, state.getStorageClass(), tier);
        if (storageClass.isPresent()) {
            Optional<SiteOffer> base = catalogue.baselineSite();
            for (int i = 0; i < tally.regionCount(); i++) {
                CostModel.ReadCost cost = CostModel.reads(primary, storageClass.get(), tally.region(i), tally.reads(i),
                        tally.bytes(i));
                egress += cost.egressUsd();
                request += cost.requestUsd();
                retrieval += cost.retrievalUsd();
                reads += tally.reads(i);
                bytes += tally.bytes(i);
                if (base.isPresent()) {
                    CostModel.ReadCost baseline = CostModel.reads(base.get(), base.get().classFor(Tier.HOT).orElseThrow(),
                            tally.region(i), tally.reads(i), tally.bytes(i));
                    baselineEgress += baseline.egressUsd();
                    baselineRequest += baseline.requestUsd();
                }
            }
            slaMisses += tally.slaMisses();
        }
        return new ReadCosts(egress, request, retrieval, reads, bytes, slaMisses, baselineEgress, baselineRequest);
    }

    /**
     * Charges storage up to {@code now} and the priced reads to the ledger, then clears the tally. {@code reads} must
     * be {@link #price} of this state and tally.
     */
    void accrue(DatasetState state, ReadTally tally, ReadCosts reads, long now) {
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
                    addReads(entry, reads);
                }
                ledger.put(key(site.name(), tier), entry);
            }
            catalogue.baselineSite().ifPresent(base -> {
                CostLedger entry = entry(base.name(), Tier.HOT, true, now);
                entry.setGbMonths(entry.getGbMonths() + gbMonths);
                entry.setStorageUsd(entry.getStorageUsd() + gbMonths * base.classFor(Tier.HOT).orElseThrow()
                        .storagePerGbMonth());
                entry.setEgressUsd(entry.getEgressUsd() + reads.baselineEgressUsd());
                entry.setRequestUsd(entry.getRequestUsd() + reads.baselineRequestUsd());
                entry.setReads(entry.getReads() + reads.reads());
                entry.setBytesRead(entry.getBytesRead() + reads.bytesRead());
                ledger.put(BASELINE + "|" + Tier.HOT.name(), entry);
            });
        }
        if (state.getPendingCost().getReads() != 0 || state.getPendingCost().getSlaMisses() != 0) {
            state.setPendingCost(PendingCost.newBuilder().build());
        }
        tally.clear();
        state.setCostAccruedAt(now);
    }

    /** Prices and charges in one step, for callers that need no alerts from the read costs. */
    void accrue(DatasetState state, ReadTally tally, long now) {
        accrue(state, tally, price(state, tally), now);
    }

    private static void addReads(CostLedger entry, ReadCosts reads) {
        entry.setEgressUsd(entry.getEgressUsd() + reads.egressUsd());
        entry.setRequestUsd(entry.getRequestUsd() + reads.requestUsd());
        entry.setRetrievalUsd(entry.getRetrievalUsd() + reads.retrievalUsd());
        entry.setReads(entry.getReads() + reads.reads());
        entry.setBytesRead(entry.getBytesRead() + reads.bytesRead());
        entry.setSlaMisses(entry.getSlaMisses() + reads.slaMisses());
    }

    /** Ends the in-place changes of the entries charged since the last call: readers copy them again. */
    void finishUpdates() {
        ledger.finishUpdates();
    }

    /**
     * The entry itself, to change in place and put back: every evaluation charges two or three entries, and a copy of
     * each (what {@code get} gives) was the ledger's largest cost in the benchmark's profile.
     */
    private CostLedger entry(String site, Tier tier, boolean baseline, long now) {
        String key = baseline ? BASELINE + "|" + tier.name() : key(site, tier);
        CostLedger entry = ledger.getForUpdate(key);
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
            for (SiteOffer.StorageClassOffer offer : site.classes()) {
                if (offer.name().equals(className)) {
                    return Optional.of(offer);
                }
            }
        }
        return site.classFor(tier);
    }
}
