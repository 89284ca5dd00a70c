package io.tierflow.streams;

import io.tierflow.catalogue.CatalogueRules;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.streams.domain.PolicyScopes;
import io.tierflow.streams.domain.Scorer;
import io.tierflow.streams.domain.ScoringModel;
import io.tierflow.streams.domain.MigrationBudget;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.TieringPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policies, model and sites in force, read from the global stores. Looked at on every punctuation rather than per
 * record: a change published to policies, models or sites takes effect within one evaluation interval, and the hot
 * path does no global-store lookups. The stores are read and checked again only when {@link CatalogueChanges} says
 * they changed, so an unchanged catalogue of many sites costs a punctuation nothing.
 */
final class Catalogue {
    private static final Logger LOG = LoggerFactory.getLogger(Catalogue.class);
    /** Name of the policy for every dataset no other policy's scope matches. */
    static final String DEFAULT_POLICY = CatalogueRules.DEFAULT_POLICY;
    /** Key under which the model in use is published. */
    static final String CURRENT_MODEL = "current";

    private final KeyValueStore<String, Policy> policyStore;
    private final KeyValueStore<String, Model> models;
    private final KeyValueStore<String, Site> sites;
    private final CatalogueChanges changes;
    private long changesRead = -1;
    private PolicyScopes<TieringPolicy> policies = PolicyScopes.of(TieringPolicy.BUILT_IN, List.of());
    private Map<String, Double> budgetShares = Map.of();
    /** The scoped policies in force by key, so a refused record leaves its key's last good one. */
    private Map<String, PolicyScopes.Scoped<TieringPolicy>> scopedByKey = Map.of();
    private final List<String> candidateNames;
    private ScoringModel model = ScoringModel.BUILT_IN;
    private List<ScoringModel> candidates = List.of();
    /** The current model and the candidates: a new list whenever one of them changes. */
    private List<ScoringModel> inForce = List.of(model);
    /** The default policy's migration budget, bytes per hour; the built-in policy has none. */
    private long migrationBudget = MigrationBudget.UNLIMITED;
    private List<SiteOffer> siteOffers = List.of();
    private java.util.Map<String, SiteOffer> sitesByName = java.util.Map.of();

    Catalogue(KeyValueStore<String, Policy> policies, KeyValueStore<String, Model> models,
            KeyValueStore<String, Site> sites, CatalogueChanges changes, List<String> candidateNames) {
        this.candidateNames = List.copyOf(candidateNames);
        this.policyStore = policies;
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
        Map<String, Double> sharesRead = new HashMap<>();
        PolicyScopes<TieringPolicy> newPolicies = readPolicies(sharesRead);
        // Like the budget, not part of the decision: the shares change which moves may start, not the placements.
        budgetShares = Map.copyOf(sharesRead);
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
        Policy published = policyStore.get(DEFAULT_POLICY);
        boolean refused = published != null && CatalogueRules.policyProblem(published).isPresent();
        // Not part of the decision: a new budget changes which moves may start (MigrationAdmission), not the placements.
        migrationBudget = published == null ? MigrationBudget.UNLIMITED
                : refused ? migrationBudget : published.getMigrationBudgetBytesPerHour();
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
        boolean changed = !newPolicies.equals(policies) || !newModel.equals(model) || !offers.equals(siteOffers);
        if (!changed) {
            return false;
        }
        policies = newPolicies;
        model = newModel;
        siteOffers = List.copyOf(offers);
        java.util.Map<String, SiteOffer> byName = new java.util.HashMap<>();
        offers.forEach(o -> byName.put(o.name(), o));
        sitesByName = byName;
        return true;
    }

    /**
     * The catch-all ({@code default}, else the built-in policy) and every policy with a scope; a policy without one
     * under another name applies to nothing. A record that breaks the rules leaves its key's policy in force.
     */
    private PolicyScopes<TieringPolicy> readPolicies(Map<String, Double> budgetSharesRead) {
        TieringPolicy catchAll = TieringPolicy.BUILT_IN;
        Map<String, PolicyScopes.Scoped<TieringPolicy>> scoped = new HashMap<>();
        try (KeyValueIterator<String, Policy> all = policyStore.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                boolean good = CatalogueRules.policyProblem(entry.value).isEmpty();
                if (DEFAULT_POLICY.equals(entry.key)) {
                    // The catch-all whatever scope it names (the API refuses one): what-if replays publish a policy
                    // file under this key.
                    catchAll = good ? StateMapper.policy(entry.value) : policies.catchAll();
                } else if (!good) {
                    PolicyScopes.Scoped<TieringPolicy> kept = scopedByKey.get(entry.key);
                    if (kept != null) {
                        scoped.put(entry.key, kept);
                    }
                } else if (entry.value.getScope() != null) {
                    // By key, which is unique (and the name, when the API wrote it): equal scopes rank by it.
                    TieringPolicy policy = StateMapper.policy(entry.value);
                    scoped.put(entry.key, new PolicyScopes.Scoped<>(StateMapper.scope(entry.value.getScope()),
                            entry.key, policy));
                    if (entry.value.getBudgetShare() != null) {
                        budgetSharesRead.put(policy.name(), entry.value.getBudgetShare());
                    }
                }
            }
        }
        PolicyScopes<TieringPolicy> read = PolicyScopes.of(catchAll, new ArrayList<>(scoped.values()));
        if (!read.equals(policies)) {
            warnAboutEqualScopes(read.scoped());
        }
        scopedByKey = scoped;
        return read;
    }

    /** Two policies with one scope, produced past the API (which refuses them): they are ordered by name. */
    private static void warnAboutEqualScopes(List<PolicyScopes.Scoped<TieringPolicy>> byPrecedence) {
        for (int i = 1; i < byPrecedence.size(); i++) {
            PolicyScopes.Scoped<TieringPolicy> first = byPrecedence.get(i - 1);
            PolicyScopes.Scoped<TieringPolicy> second = byPrecedence.get(i);
            if (first.scope().equals(second.scope())) {
                LOG.warn("Policies '{}' and '{}' have the same scope {}; '{}' applies, as the first by name",
                        first.name(), second.name(), first.scope(), first.name());
            }
        }
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

    /**
     * The policy for a dataset on the event path, from the facts its activity value keeps.
     *
     * @param mediaType the inventory's content type as {@link PolicyScopes#mediaType} gives it, or null if not known
     */
    TieringPolicy policyFor(String key, String owner, String mediaType) {
        return policies.policyFor(key, owner, mediaType);
    }

    /** Whether a dataset's policy may depend on its owner or media type, not only on its key. */
    boolean policiesMatchOnOwnerOrMediaType() {
        return policies.matchesOnOwnerOrContentType();
    }

    /** The policy for a dataset, from its record's inventory entry (the key alone while it has none). */
    TieringPolicy policyOf(DatasetState state) {
        Dataset inventory = state.getInventory();
        return inventory == null ? policies.policyFor(state.getKey(), null, null)
                : policies.policyFor(state.getKey(), inventory.getOwner(),
                        PolicyScopes.mediaType(inventory.getContentType()));
    }

    /**
     * The fraction of the migration budget each policy with a share keeps for its datasets' moves, by policy name
     * (scoped policies only: the catch-all's moves use what the shares leave).
     */
    Map<String, Double> budgetShares() {
        return budgetShares;
    }

    /** Bytes all migrations together may move per hour ({@link MigrationBudget#UNLIMITED} under the built-in policy). */
    long migrationBudgetBytesPerHour() {
        return migrationBudget;
    }

    List<SiteOffer> sites() {
        return siteOffers;
    }
}
