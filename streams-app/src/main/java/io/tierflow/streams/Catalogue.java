package io.tierflow.streams;

import io.tierflow.catalogue.CatalogueRules;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.streams.domain.Scorer;
import io.tierflow.streams.domain.ScoringModel;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.TieringPolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The policy, model and sites in force, read from the global stores. Looked at on every punctuation rather than per
 * record: a change published to policies, models or sites takes effect within one evaluation interval, and the hot
 * path does no global-store lookups. The stores are read and checked again only when {@link CatalogueChanges} says
 * they changed, so an unchanged catalogue of many sites costs a punctuation nothing.
 */
final class Catalogue {
    /** Name of the policy that applies to every dataset. */
    static final String DEFAULT_POLICY = "default";
    /** Key under which the model in use is published. */
    static final String CURRENT_MODEL = "current";

    private final KeyValueStore<String, Policy> policies;
    private final KeyValueStore<String, Model> models;
    private final KeyValueStore<String, Site> sites;
    private final CatalogueChanges changes;
    private long changesRead = -1;
    private TieringPolicy policy = TieringPolicy.BUILT_IN;
    private final List<String> candidateNames;
    private ScoringModel model = ScoringModel.BUILT_IN;
    private List<ScoringModel> candidates = List.of();
    /** The current model and the candidates: a new list whenever one of them changes. */
    private List<ScoringModel> inForce = List.of(model);
    private List<SiteOffer> siteOffers = List.of();
    private java.util.Map<String, SiteOffer> sitesByName = java.util.Map.of();
    private java.util.Optional<SiteOffer> baseline = java.util.Optional.empty();

    Catalogue(KeyValueStore<String, Policy> policies, KeyValueStore<String, Model> models,
            KeyValueStore<String, Site> sites, CatalogueChanges changes, List<String> candidateNames) {
        this.candidateNames = List.copyOf(candidateNames);
        this.policies = policies;
        this.models = models;
        this.sites = sites;
        this.changes = changes;
    }

    /**
     * Reads the catalogue again; returns whether anything a decision depends on changed (a site's prices, latency,
     * encryption, capacity or state, a site added or removed, the policy or the model), which makes every dataset due.
     */
    boolean refresh() {
        long count = changes.count(); // before the stores: a change made while they are read shows next time
        if (count == changesRead) {
            return false;
        }
        changesRead = count;
        // The global stores refuse what breaks the rules (GlobalStoreUpdater); a store written before they did may
        // still hold such a value, and then the one in force stays.
        Policy publishedPolicy = policies.get(DEFAULT_POLICY);
        TieringPolicy newPolicy = publishedPolicy == null ? TieringPolicy.BUILT_IN
                : CatalogueRules.policyProblem(publishedPolicy).isPresent() ? policy
                : StateMapper.policy(publishedPolicy);
        ScoringModel newModel = loaded(CURRENT_MODEL, model);
        if (newModel == null) {
            newModel = ScoringModel.BUILT_IN;
        }
        List<ScoringModel> newCandidates = new ArrayList<>();
        for (String name : candidateNames) {
            ScoringModel previous = candidates.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
            ScoringModel candidate = loaded(name, previous);
            if (candidate != null) {
                newCandidates.add(candidate);
            }
        }
        // Candidates change no decision, so they are taken in without making every dataset due.
        if (!newModel.equals(model) || !newCandidates.equals(candidates)) {
            candidates = List.copyOf(newCandidates);
            inForce = new ArrayList<>(List.of(newModel));
            inForce.addAll(candidates);
            inForce = List.copyOf(inForce);
        }
        List<SiteOffer> offers = new ArrayList<>();
        try (KeyValueIterator<String, Site> all = sites.all()) {
            all.forEachRemaining(entry -> {
                if (CatalogueRules.siteProblem(entry.key, entry.value).isEmpty()) {
                    offers.add(StateMapper.site(entry.value));
                } else if (sitesByName.containsKey(entry.key)) {
                    offers.add(sitesByName.get(entry.key));
                }
            });
        }
        // Records all: compared by value. The sites come in key order, so an unchanged catalogue is an equal list.
        boolean changed = !newPolicy.equals(policy) || !newModel.equals(model) || !offers.equals(siteOffers);
        if (!changed) {
            return false;
        }
        policy = newPolicy;
        model = newModel;
        siteOffers = List.copyOf(offers);
        java.util.Map<String, SiteOffer> byName = new java.util.HashMap<>();
        offers.forEach(o -> byName.put(o.name(), o));
        sitesByName = byName;
        baseline = io.tierflow.streams.domain.CostModel.baselineSite(siteOffers, policy.defaultSlaMs());
        return true;
    }

    /**
     * The model published under {@code name} ready to score; {@code previous} if the store holds one that cannot score
     * (the store refuses them, but one written before it did may still be there); null if none is published.
     */
    private ScoringModel loaded(String name, ScoringModel previous) {
        Model published = models.get(name);
        if (published == null) {
            return null;
        }
        try {
            return StateMapper.scoringModel(name, published);
        } catch (IllegalArgumentException e) {
            return previous;
        }
    }

    SiteOffer site(String name) {
        return name == null ? null : sitesByName.get(name);
    }

    /** The everything-hot baseline site under the current policy's SLA, if any site meets it. */
    java.util.Optional<SiteOffer> baselineSite() {
        return baseline;
    }

    TieringPolicy policy() {
        return policy;
    }

    Scorer scorer() {
        return model.scorer();
    }

    /** The candidates that score in shadow, in the order the settings name them (the ones published and valid). */
    List<ScoringModel> candidates() {
        return candidates;
    }

    /** The current model, then the candidates; the same list until one of them changes. */
    List<ScoringModel> modelsInForce() {
        return inForce;
    }

    List<SiteOffer> sites() {
        return siteOffers;
    }
}
