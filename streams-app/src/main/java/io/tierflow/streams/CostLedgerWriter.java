package io.tierflow.streams;

import io.tierflow.schemas.CostLedger;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.PendingCost;
import io.tierflow.streams.domain.CostModel;
import io.tierflow.streams.domain.ReadTally;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.cost.StatusQuo;
import io.tierflow.streams.store.UpdatableStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Charges costs to the cost ledger, and the same for the status-quo baseline ({@link StatusQuo}: each dataset hot where
 * its inventory entry registered it, one baseline entry per registered site): the reads a dataset's activity
 * tallied since the last charge (counted raw per client region on the event path, priced here) whenever the dataset is
 * evaluated; and storage over time from the task's holdings ({@link LedgerHoldings}), the bytes its dataset records
 * hold per site, tier and class, kept as records change ({@link #hold}) and charged whenever an entry is touched and on
 * the clock ({@link #chargeStorage}). Storage is charged without looking at each dataset, so a dataset nothing happens
 * to is never looked at just to charge it.
 */
final class CostLedgerWriter {
    static final String BASELINE = "baseline";
    /**
     * The single baseline entry of earlier versions (everything hot on the cheapest site meeting the SLA): a baseline
     * of another kind, dropped when the task starts so its sums are not added to the status quo's.
     */
    static final String LEGACY_BASELINE_KEY = BASELINE + "|" + Tier.HOT.name();
    /** Storage is charged on the clock at most this often (each charge writes an entry per site and tier). */
    static final long STORAGE_CHARGE_EVERY = 60_000;
    private final UpdatableStore<CostLedger> ledger;
    private final Catalogue catalogue;
    /** What this task holds under each entry, actual and baseline, that storage is charged on. */
    private final LedgerHoldings holdings;
    private final Function<String, SiteOffer> sites;
    private long storageChargedAt = Long.MIN_VALUE / 2;

    /**
     * @param ledger the cost-ledger store: its entries are changed in place ({@link UpdatableStore#getForUpdate}),
     *     so the caller ends each record's changes with {@link #finishUpdates}
     */
    CostLedgerWriter(UpdatableStore<CostLedger> ledger, Catalogue catalogue) {
        this.ledger = ledger;
        this.catalogue = catalogue;
        this.sites = catalogue::site;
        this.holdings = new LedgerHoldings(catalogue);
    }

    static String key(String site, Tier tier) {
        return site + "|" + tier.name();
    }

    /** The key of the status-quo baseline's entry for the datasets registered at {@code site}. */
    static String baselineKey(String site) {
        return BASELINE + "|" + site + "|" + Tier.HOT.name();
    }

    /** Read costs of a dataset not yet charged, priced as read from its primary copy, and at the baseline. */
    record ReadCosts(double egressUsd, double requestUsd, double retrievalUsd, long reads, long bytesRead,
            long slaMisses, double baselineEgressUsd, double baselineRequestUsd, double baselineRetrievalUsd) {
        double chargedUsd() {
            return egressUsd + requestUsd + retrievalUsd;
        }
    }

    /**
     * Prices the tallied reads at the dataset's primary copy, their egress from the copy that served them (its tier,
     * copies and class have not changed since they were counted: every change is charged first), plus costs priced by
     * an earlier version and kept in the record; and the same reads had the dataset stayed where it was registered
     * ({@link StatusQuo#reads}).
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
        double baselineRetrieval = 0.0;
        SiteOffer primary = catalogue.site(state.getPrimarySite());
        Tier tier = StateMapper.tier(state.getTier());
        Optional<SiteOffer.StorageClassOffer> storageClass = primary == null || tier == null ? Optional.empty()
                : classAt(primary, state.getStorageClass(), tier);
        if (storageClass.isPresent()) {
            Dataset registered = state.getInventory();
            for (int i = 0; i < tally.regionCount(); i++) {
                // Requests and retrievals at the primary's class; egress from the copy that served the reads.
                CostModel.ReadCost cost = CostModel.reads(servingSite(state, primary, tally.servedFrom(i)),
                        storageClass.get(), tally.region(i), tally.reads(i), tally.bytes(i));
                egress += cost.egressUsd();
                request += cost.requestUsd();
                retrieval += cost.retrievalUsd();
                reads += tally.reads(i);
                bytes += tally.bytes(i);
                CostModel.ReadCost baseline = registered == null ? null : StatusQuo.reads(registered.getPrimarySite(),
                        registered.getStorageClass(), registered.getReplicaSites(), tally.region(i), tally.reads(i),
                        tally.bytes(i), sites);
                if (baseline != null) {
                    baselineEgress += baseline.egressUsd();
                    baselineRequest += baseline.requestUsd();
                    baselineRetrieval += baseline.retrievalUsd();
                }
            }
            slaMisses += tally.slaMisses();
        }
        return new ReadCosts(egress, request, retrieval, reads, bytes, slaMisses, baselineEgress, baselineRequest,
                baselineRetrieval);
    }

    /**
     * The site whose egress reads served by {@code servedFrom} cost: that site when it holds one of the dataset's copies
     * and is in the catalogue, else the primary (an event that names no site, or one the dataset is not on).
     */
    private SiteOffer servingSite(DatasetState state, SiteOffer primary, String servedFrom) {
        if (servedFrom == null || servedFrom.equals(primary.name()) || !state.getReplicaSites().contains(servedFrom)) {
            return primary;
        }
        SiteOffer replica = catalogue.site(servedFrom);
        return replica != null ? replica : primary;
    }

    /**
     * Charges the priced reads to the ledger (at the primary copy's site and tier, and at the baseline entry of the
     * registered primary's site), then clears the tally. {@code reads} must be {@link #price} of this state and tally.
     * Storage is not charged here: see {@link #hold}.
     */
    void chargeReads(DatasetState state, ReadTally tally, ReadCosts reads, long now) {
        Tier tier = StateMapper.tier(state.getTier());
        if (tier != null && state.getInventory() != null && reads.reads() + reads.slaMisses() > 0) {
            SiteOffer primary = catalogue.site(state.getPrimarySite());
            if (primary != null && classAt(primary, state.getStorageClass(), tier).isPresent()) {
                CostLedger entry = entry(primary.name(), tier, false, now);
                addReads(entry, reads);
                ledger.put(key(primary.name(), tier), entry);
            }
            String registered = state.getInventory().getPrimarySite();
            if (catalogue.site(registered) != null) {
                CostLedger entry = entry(registered, Tier.HOT, true, now);
                entry.setEgressUsd(entry.getEgressUsd() + reads.baselineEgressUsd());
                entry.setRequestUsd(entry.getRequestUsd() + reads.baselineRequestUsd());
                entry.setRetrievalUsd(entry.getRetrievalUsd() + reads.baselineRetrievalUsd());
                entry.setReads(entry.getReads() + reads.reads());
                entry.setBytesRead(entry.getBytesRead() + reads.bytesRead());
                ledger.put(baselineKey(registered), entry);
            }
        }
        if (state.getPendingCost().getReads() != 0 || state.getPendingCost().getSlaMisses() != 0) {
            state.setPendingCost(PendingCost.newBuilder().build());
        }
        tally.clear();
        state.setCostAccruedAt(now);
    }

    /** Prices and charges in one step, for callers that need no alerts from the read costs. */
    void chargeReads(DatasetState state, ReadTally tally, long now) {
        chargeReads(state, tally, price(state, tally), now);
    }

    /**
     * What a dataset record has stored where, as storage is charged for it: its size at each copy (the primary in its
     * actual class, replicas in their site's class for the tier), under the tier decided; and where its inventory entry
     * registered it, for the status-quo baseline. Null for a record that holds nothing chargeable yet (no inventory, or
     * never decided).
     */
    static Footprint footprint(DatasetState state) {
        if (state == null || state.getInventory() == null || state.getTier() == null
                || state.getPrimarySite() == null) {
            return null;
        }
        Dataset registered = state.getInventory();
        return new Footprint(registered.getSizeBytes(), StateMapper.tier(state.getTier()),
                state.getPrimarySite(), state.getStorageClass(), List.copyOf(state.getReplicaSites()),
                registered.getPrimarySite(), registered.getStorageClass(), List.copyOf(registered.getReplicaSites()));
    }

    /** See {@link #footprint}. */
    record Footprint(long bytes, Tier tier, String primarySite, String primaryClass, List<String> replicaSites,
            String registeredPrimary, String registeredClass, List<String> registeredReplicas) {
    }

    /**
     * A dataset record changed what it holds from {@code before} to {@code after} (either may be null) at {@code now}:
     * the ledger entries it touches are charged up to now at what they held, then the task's holdings change. Every
     * change of a record goes through here, so storage is charged without looking at each dataset: an idle dataset
     * costs nothing to account for.
     */
    void hold(Footprint before, Footprint after, long now) {
        if (Objects.equals(before, after)) {
            return;
        }
        chargeEntriesOf(before, now);
        chargeEntriesOf(after, now);
        holdings.adjust(before, -1);
        holdings.adjust(after, +1);
    }

    /** Adds a record's holdings without charging (rebuilding the task's holdings from its records). */
    void addHoldings(Footprint footprint) {
        holdings.adjust(footprint, +1);
    }

    /**
     * Forgets the task's holdings (before they are rebuilt), and drops the baseline entry of an earlier version
     * ({@link #LEGACY_BASELINE_KEY}).
     */
    void clearHoldings() {
        holdings.clear();
        if (ledger.getForUpdate(LEGACY_BASELINE_KEY) != null) {
            ledger.delete(LEGACY_BASELINE_KEY);
        }
        ledger.finishUpdates();
    }

    /**
     * Charges the storage of everything the task holds up to {@code now}, at most once per {@link #STORAGE_CHARGE_EVERY}
     * of the clock the caller goes by: a few entries per site and tier, whatever the number of datasets.
     */
    void chargeStorage(long now) {
        if (now < storageChargedAt + STORAGE_CHARGE_EVERY) {
            return;
        }
        storageChargedAt = now;
        holdings.forEachActualEntry((site, tier) -> ledger.put(key(site, tier), entry(site, tier, false, now)));
        holdings.forEachBaselineSite(site -> ledger.put(baselineKey(site), entry(site, Tier.HOT, true, now)));
    }

    /** Charges the entries of a footprint's copies, actual and registered, up to {@code now} at what they hold. */
    private void chargeEntriesOf(Footprint footprint, long now) {
        if (footprint != null) {
            LedgerHoldings.forEachCopy(footprint, (site, storageClass) -> ledger.put(key(site, footprint.tier()),
                    entry(site, footprint.tier(), false, now)));
            LedgerHoldings.forEachRegisteredCopy(footprint, (site, storageClass) -> ledger.put(baselineKey(site),
                    entry(site, Tier.HOT, true, now)));
        }
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
     * The entry itself, to change in place and put back (every evaluation charges one or two entries, and a copy of
     * each, what {@code get} gives, was the ledger's largest cost in the benchmark's profile), with its storage charged
     * from its {@code updatedAt} up to {@code now} at the bytes the task holds there. Every change of those bytes
     * comes through here first, so {@code updatedAt} is always when the entry's storage was last charged.
     */
    private CostLedger entry(String site, Tier tier, boolean baseline, long now) {
        String key = baseline ? baselineKey(site) : key(site, tier);
        CostLedger entry = ledger.getForUpdate(key);
        if (entry == null) {
            entry = CostLedger.newBuilder().setSite(site).setTier(StateMapper.tier(tier)).setBaseline(baseline)
                    .setSince(now).build();
        }
        long since = entry.getUpdatedAt();
        if (since > 0 && now > since) { // an entry never charged before starts now, not at the epoch
            holdings.addStorage(entry, site, tier, baseline, since, now);
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
