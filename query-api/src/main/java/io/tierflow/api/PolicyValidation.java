package io.tierflow.api;

import io.tierflow.catalogue.CatalogueRules;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * The API's side of {@link CatalogueRules}: a policy or site that breaks them is a 400 with the reason. The streams
 * app refuses the same records when they are produced straight to Kafka.
 */
final class PolicyValidation {
    /** A word that could be a field name, up to a dot ({@code opWeights.GET} is about {@code opWeights}). */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    private PolicyValidation() {
    }

    static void check(Policy p) {
        CatalogueRules.policyProblem(p).ifPresent(problem -> {
            throw ApiException.badRequest(problem);
        });
    }

    /** The rules between policies: {@code default} unscoped, no two equal scopes, budget shares up to 1. */
    static void check(Policy p, Map<String, Policy> published) {
        CatalogueRules.policyCatalogueProblem(p, published).ifPresent(problem -> {
            throw ApiException.badRequest(problem);
        });
    }

    /** Copies on distinct providers: no more copies than the catalogue's sites have providers. */
    static void checkProviders(Policy p, Collection<Site> sites) {
        CatalogueRules.providersProblem(p, sites).ifPresent(problem -> {
            throw ApiException.badRequest(problem);
        });
    }

    /**
     * The rejection with the field it is about, when its message names one of the record's top-level fields (the
     * rules' messages start with it, the JSON reader's quote it): a form can show the message next to that field.
     */
    static ApiException namingTheField(ApiException rejection, Schema record) {
        if (rejection.status() != 400 || rejection.field() != null) {
            return rejection;
        }
        // What follows a ';' is advice (the reader lists every known field there), not what the rejection is about.
        String message = rejection.getMessage();
        Matcher words = FIELD_NAME.matcher(message.contains(";") ? message.substring(0, message.indexOf(';')) : message);
        while (words.find()) {
            String word = words.group();
            if (record.getField(word) != null && !word.equals("name")) {
                return rejection.about(word);
            }
        }
        return rejection;
    }

    static void check(Site site) {
        CatalogueRules.siteProblem(site).ifPresent(problem -> {
            throw ApiException.badRequest(problem);
        });
    }
}
