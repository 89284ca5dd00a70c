package io.tierflow.streams;

import io.tierflow.schemas.Model;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.streams.domain.LogisticScorer;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.TieringPolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The policy, model and sites in force, read from the global stores. Re-read on every punctuation rather than per
 * record: a change published to policies, models or sites takes effect within one evaluation interval, and the hot
 * path does no global-store lookups.
 */
final class Catalogue {
    /** Name of the policy that applies to every dataset. */
    static final String DEFAULT_POLICY = "default";
    /** Key under which the model in use is published. */
    static final String CURRENT_MODEL = "current";

    private final KeyValueStore<String, Policy> policies;
    private final KeyValueStore<String, Model> models;
    private final KeyValueStore<String, Site> sites;
    private TieringPolicy policy = TieringPolicy.BUILT_IN;
    private LogisticScorer scorer = LogisticScorer.BUILT_IN;
    private List<SiteOffer> siteOffers = List.of();

    Catalogue(KeyValueStore<String, Policy> policies, KeyValueStore<String, Model> models,
            KeyValueStore<String, Site> sites) {
        this.policies = policies;
        this.models = models;
        this.sites = sites;
    }

    void refresh() {
        Policy published = policies.get(DEFAULT_POLICY);
        policy = published == null ? TieringPolicy.BUILT_IN : StateMapper.policy(published);
        Model model = models.get(CURRENT_MODEL);
        scorer = model == null ? LogisticScorer.BUILT_IN : StateMapper.scorer(model);
        List<SiteOffer> offers = new ArrayList<>();
        try (KeyValueIterator<String, Site> all = sites.all()) {
            all.forEachRemaining(entry -> offers.add(StateMapper.site(entry.value)));
        }
        siteOffers = List.copyOf(offers);
    }

    TieringPolicy policy() {
        return policy;
    }

    LogisticScorer scorer() {
        return scorer;
    }

    List<SiteOffer> sites() {
        return siteOffers;
    }
}
