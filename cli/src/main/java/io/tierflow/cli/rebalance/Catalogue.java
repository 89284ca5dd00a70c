package io.tierflow.cli.rebalance;

import com.fasterxml.jackson.databind.JsonNode;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The site catalogue and the policies as the query API lists them ({@code /sites}, {@code /policies}), in the terms
 * the topology prices a move in: each site's offer (its classes' request, retrieval and storage prices, its egress) and
 * each policy's horizon and hysteresis.
 */
final class Catalogue {
    /** The policy of a dataset whose decision names none. */
    static final String DEFAULT_POLICY = "default";

    /** What a policy asks of a move: to pay for itself within {@code horizonMonths}, by {@code hysteresis}. */
    record MoveTerms(double horizonMonths, double hysteresis) {
    }

    private final Map<String, SiteOffer> sites = new HashMap<>();
    private final Map<String, MoveTerms> policies = new HashMap<>();

    Catalogue(JsonNode sites, JsonNode policies) {
        for (JsonNode site : sites) {
            SiteOffer offer = offer(site);
            this.sites.put(offer.name(), offer);
        }
        for (JsonNode policy : policies) {
            double horizonDays = policy.path("horizonDays").asDouble(30.0);
            double hysteresis = policy.path("hysteresis").asDouble(0.0);
            if (!(horizonDays > 0) || !(hysteresis >= 0 && hysteresis < 1)) {
                throw new IllegalArgumentException("policy " + policy.path("name").asText() + " has horizon "
                        + horizonDays + " days and hysteresis " + hysteresis + "; the pass needs a horizon > 0 and "
                        + "a hysteresis in [0, 1)");
            }
            this.policies.put(policy.path("name").asText(), new MoveTerms(horizonDays / 30.0, hysteresis));
        }
        if (!this.policies.containsKey(DEFAULT_POLICY)) {
            throw new IllegalArgumentException("the API lists no policy named " + DEFAULT_POLICY);
        }
    }

    Map<String, SiteOffer> sitesByName() {
        return sites;
    }

    /** The terms of the named policy; those of the default policy if it is not listed (removed since). */
    MoveTerms termsOf(String policyName) {
        MoveTerms terms = policyName == null ? null : policies.get(policyName);
        return terms != null ? terms : policies.get(DEFAULT_POLICY);
    }

    /** A site of {@code /sites} (the catalogue's record as JSON) as the placement sees it. */
    static SiteOffer offer(JsonNode site) {
        List<SiteOffer.StorageClassOffer> classes = new ArrayList<>();
        for (JsonNode c : site.path("storageClasses")) {
            classes.add(new SiteOffer.StorageClassOffer(c.path("name").asText(), Tier.valueOf(c.path("tier").asText()),
                    c.path("storagePricePerGbMonth").asDouble(), c.path("retrievalPricePerGb").asDouble(0.0),
                    c.path("requestPricePer1000").asDouble(0.0), c.path("putPricePer1000").asDouble(0.0),
                    c.path("minimumStorageDays").asInt(0), c.path("minimumBillableBytes").asLong(0),
                    c.path("monitoringPricePerObjectMonth").asDouble(0.0)));
        }
        return new SiteOffer(site.path("name").asText(), site.path("provider").asText(), site.path("region").asText(),
                site.path("p95LatencyMs").asDouble(), site.path("egressPricePerGb").asDouble(0.0),
                site.path("encrypted").asBoolean(false), site.path("up").asBoolean(true),
                site.path("capacityBytes").asLong(Long.MAX_VALUE), List.copyOf(classes));
    }
}
