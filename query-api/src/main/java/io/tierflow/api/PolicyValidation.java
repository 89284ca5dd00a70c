package io.tierflow.api;

import io.tierflow.catalogue.CatalogueRules;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;

/**
 * The API's side of {@link CatalogueRules}: a policy or site that breaks them is a 400 with the reason. The streams
 * app refuses the same records when they are produced straight to Kafka.
 */
final class PolicyValidation {
    private PolicyValidation() {
    }

    static void check(Policy p) {
        CatalogueRules.policyProblem(p).ifPresent(problem -> {
            throw ApiException.badRequest(problem);
        });
    }

    static void check(Site site) {
        CatalogueRules.siteProblem(site).ifPresent(problem -> {
            throw ApiException.badRequest(problem);
        });
    }
}
