package io.tierflow.catalogue;

import io.tierflow.schemas.FeatureWeight;
import io.tierflow.schemas.Model;
import io.tierflow.keys.DatasetKeys;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.PolicyScope;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What makes a policy, a site or a model usable beyond its schema: thresholds in order, fractions in range, positive
 * durations and capacities, prices not negative, every number finite. One set of rules for every way in: the API
 * refuses a write that breaks them, and the streams app refuses a record read from the topic that breaks them (the last
 * good one stays in force), so a record produced straight to Kafka cannot do what the API would not.
 */
public final class CatalogueRules {
    /** The policy for every dataset no other policy's scope matches. */
    public static final String DEFAULT_POLICY = "default";
    /** A media type as RFC 6838 names one, in lower case, without parameters. */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");
    /** Shares add up in doubles: 0.1 + 0.2 + 0.7 is a little over 1 and must pass. */
    private static final double SHARE_SLACK = 1e-9;
    /** The longest pre-copy lookahead a policy may ask for. */
    public static final long MAX_PRE_COPY_LOOKAHEAD_SECONDS = 7L * 24 * 3600;

    private CatalogueRules() {
    }

    /** Why {@code p} cannot be the policy in force, or empty if it can. */
    public static Optional<String> policyProblem(Policy p) {
        if (p.getHeatHalfLifeSeconds() <= 0) {
            return problem("heatHalfLifeSeconds must be positive");
        }
        if (!Double.isFinite(p.getWarmThreshold()) || p.getWarmThreshold() < 0) {
            return problem("warmThreshold must be a number not below 0");
        }
        if (!Double.isFinite(p.getHotThreshold()) || p.getHotThreshold() <= p.getWarmThreshold()) {
            return problem("hotThreshold must be a number above warmThreshold");
        }
        if (!(p.getHysteresis() >= 0 && p.getHysteresis() < 1)) {
            return problem("hysteresis must be a fraction from 0 to below 1");
        }
        if (!Double.isFinite(p.getScoreBoost()) || p.getScoreBoost() < 0) {
            return problem("scoreBoost must be a number not below 0");
        }
        if (!Double.isFinite(p.getBytesWeightPerGb()) || p.getBytesWeightPerGb() < 0) {
            return problem("bytesWeightPerGb must be a number not below 0");
        }
        if (p.getReplicationHot() < 1 || p.getReplicationWarm() < 1 || p.getReplicationCold() < 1) {
            return problem("every tier needs a replication of at least 1 (the primary)");
        }
        Optional<String> quorum = quorumProblem(p);
        if (quorum.isPresent()) {
            return quorum;
        }
        if (!Double.isFinite(p.getDefaultLatencySlaMs()) || p.getDefaultLatencySlaMs() <= 0) {
            return problem("defaultLatencySlaMs must be a positive number");
        }
        if (p.getMigrationBudgetBytesPerHour() < 0) {
            return problem("migrationBudgetBytesPerHour must not be negative");
        }
        if (p.getCooldownSeconds() < 0 || p.getRetireGraceSeconds() < 0 || p.getLatenessSeconds() < 0) {
            return problem("cooldownSeconds, retireGraceSeconds and latenessSeconds must not be negative");
        }
        if (!Double.isFinite(p.getHorizonDays()) || p.getHorizonDays() <= 0) {
            return problem("horizonDays must be a positive number");
        }
        for (Map.Entry<String, Double> weight : p.getOpWeights().entrySet()) {
            if (weight.getValue() == null || !Double.isFinite(weight.getValue()) || weight.getValue() < 0) {
                return problem("opWeights." + weight.getKey() + " must be a number not below 0");
            }
        }
        if (p.getScope() != null) {
            Optional<String> scope = scopeProblem(p.getScope());
            if (scope.isPresent()) {
                return scope;
            }
        }
        Double share = p.getBudgetShare();
        if (share != null && !(share > 0 && share <= 1)) {
            return problem("budgetShare must be a fraction above 0 and at most 1, or null (no share kept)");
        }
        if (p.getPreCopyLookaheadSeconds() < 0 || p.getPreCopyLookaheadSeconds() > MAX_PRE_COPY_LOOKAHEAD_SECONDS) {
            return problem("preCopyLookaheadSeconds must be between 0 (off) and " + MAX_PRE_COPY_LOOKAHEAD_SECONDS
                    + " (7 days): the hourly forecast says nothing useful further ahead");
        }
        return Optional.empty();
    }

    /**
     * Why the copies and write quorum of {@code p} do not go together, or empty if they do: {@code copies} at least 1
     * when given, {@code writeQuorum} from 1 to the copies wanted at every tier ({@code copies}, else each tier's
     * replication), since a quorum larger than the copies could never be met.
     */
    private static Optional<String> quorumProblem(Policy p) {
        Integer copies = p.getCopies();
        if (copies != null && copies < 1) {
            return problem("copies must be at least 1 (the primary), or null (replication per tier); got " + copies);
        }
        Integer quorum = p.getWriteQuorum();
        if (quorum == null) {
            return Optional.empty();
        }
        if (quorum < 1) {
            return problem("writeQuorum must be at least 1 (the copies verified before a placement is durable); got "
                    + quorum);
        }
        if (copies != null && quorum > copies) {
            return problem("writeQuorum " + quorum + " exceeds copies " + copies + ": a quorum larger than the copies "
                    + "kept could never be met");
        }
        if (copies == null) {
            int fewest = Math.min(p.getReplicationHot(), Math.min(p.getReplicationWarm(), p.getReplicationCold()));
            if (quorum > fewest) {
                return problem("writeQuorum " + quorum + " exceeds the copies kept at some tier (replicationHot "
                        + p.getReplicationHot() + ", replicationWarm " + p.getReplicationWarm() + ", replicationCold "
                        + p.getReplicationCold() + "); set copies for every tier, or a writeQuorum of at most "
                        + fewest);
            }
        }
        return Optional.empty();
    }

    /**
     * Why {@code p} asks for more copies than {@code sites} (the catalogue) have providers, or empty if it does not:
     * each copy is on its own provider, so {@code copies} N needs N providers among the sites, up or down (a site that
     * is down comes back, and its copies with it). Checked only when {@code copies} is given (the per-tier replication
     * predates the rule and stays a wish the placement fills as far as the providers allow, saying so), and only
     * against a catalogue that has sites (policies may be published before them).
     */
    public static Optional<String> providersProblem(Policy p, Collection<Site> sites) {
        Integer copies = p.getCopies();
        if (copies == null || sites.isEmpty()) {
            return Optional.empty();
        }
        Set<String> providers = new TreeSet<>();
        for (Site site : sites) {
            if (site != null && site.getProvider() != null) {
                providers.add(site.getProvider().name());
            }
        }
        if (copies > providers.size()) {
            return problem("copies " + copies + " needs " + copies + " distinct providers (each copy on its own), but "
                    + "the catalogue's sites are on " + providers.size() + " (" + String.join(", ", providers)
                    + "); add sites on other providers first, or ask for at most " + providers.size() + " copies");
        }
        return Optional.empty();
    }

    /** Why {@code scope} cannot say which datasets a policy applies to, or empty if it can. */
    public static Optional<String> scopeProblem(PolicyScope scope) {
        if (scope.getPrefix() == null && scope.getOwner() == null && scope.getContentType() == null) {
            return problem("scope must give at least one of prefix, owner and contentType (a policy for every "
                    + "dataset is 'default', with no scope)");
        }
        if (scope.getPrefix() != null) {
            Optional<String> prefix = DatasetKeys.prefixProblem(scope.getPrefix());
            if (prefix.isPresent()) {
                return problem("scope.prefix is not canonical like a key: " + prefix.get());
            }
        }
        String owner = scope.getOwner();
        if (owner != null && (owner.isBlank() || !owner.strip().equals(owner))) {
            return problem("scope.owner must not be blank, nor start or end with white space, when given");
        }
        String type = scope.getContentType();
        if (type != null && !MEDIA_TYPE.matcher(type).matches()) {
            return problem("scope.contentType must be a media type in lower case without parameters, e.g. "
                    + "application/json; got '" + type + "'");
        }
        return Optional.empty();
    }

    /**
     * Why {@code proposed} cannot join the policies published ({@code published}, by name; an earlier version of
     * {@code proposed} among them is the one it replaces), or empty if it can: {@code default} takes no scope, no two
     * policies have the same scope (most specific wins, and of two equal scopes neither is), and the budget shares add
     * up to at most 1. Rules between records, so the API applies them against the policies it knows; the streams app,
     * which reads records one by one, orders equal scopes by name (see DESIGN.md, "Scoped policies").
     */
    public static Optional<String> policyCatalogueProblem(Policy proposed, Map<String, Policy> published) {
        String name = proposed.getName();
        if (DEFAULT_POLICY.equals(name) && proposed.getScope() != null) {
            return problem("scope: '" + DEFAULT_POLICY + "' is the catch-all, for every dataset no other policy's "
                    + "scope matches, and takes no scope; publish the scoped settings under another name");
        }
        double shares = proposed.getBudgetShare() == null ? 0 : proposed.getBudgetShare();
        List<String> sharers = new ArrayList<>();
        if (proposed.getBudgetShare() != null) {
            sharers.add("'" + name + "' " + proposed.getBudgetShare());
        }
        for (Map.Entry<String, Policy> entry : published.entrySet()) {
            Policy other = entry.getValue();
            if (entry.getKey().equals(name) || other == null) {
                continue;
            }
            if (proposed.getScope() != null && proposed.getScope().equals(other.getScope())) {
                return problem("scope (" + scopeText(proposed.getScope()) + ") collides with policy '"
                        + entry.getKey() + "', which has the same scope: neither would be more specific, so they "
                        + "cannot be ordered; change the scope, or change policy '" + entry.getKey() + "' instead");
            }
            if (other.getBudgetShare() != null) {
                shares += other.getBudgetShare();
                sharers.add("'" + entry.getKey() + "' " + other.getBudgetShare());
            }
        }
        if (shares > 1 + SHARE_SLACK) {
            return problem("budgetShare: the policies' budget shares would add up to " + Math.round(shares * 1e6) / 1e6
                    + " (" + String.join(", ", sharers) + "), over 1");
        }
        return Optional.empty();
    }

    /** A scope as a reader would say it, e.g. {@code prefix 'logs/', owner 'ml'}. */
    public static String scopeText(PolicyScope scope) {
        List<String> parts = new ArrayList<>();
        if (scope.getPrefix() != null) {
            parts.add("prefix '" + scope.getPrefix() + "'");
        }
        if (scope.getOwner() != null) {
            parts.add("owner '" + scope.getOwner() + "'");
        }
        if (scope.getContentType() != null) {
            parts.add("contentType '" + scope.getContentType() + "'");
        }
        return String.join(", ", parts);
    }

    /**
     * Why {@code site}, keyed {@code key} in {@code sites}, cannot be in the catalogue, or empty if it can. The key is
     * the name: everything that reads the catalogue (placement, the migrators' stores and breakers) goes by one of
     * them, so a record whose two disagree would be acted on under a name it was not published as.
     */
    public static Optional<String> siteProblem(String key, Site site) {
        return siteKeyProblem(key, site).or(() -> siteProblem(site));
    }

    /** Why a {@code sites} record keyed {@code key} is not {@code site}'s own, or empty if it is. */
    public static Optional<String> siteKeyProblem(String key, Site site) {
        if (site.getName() == null || site.getName().equals(key)) {
            return Optional.empty();
        }
        return problem("the record keyed '" + key + "' names site '" + site.getName()
                + "': a site's record is keyed by its name");
    }

    /**
     * Why a write of {@code proposed} must not replace {@code current} (null: a new site), or empty if it may. A site's
     * endpoint and bucket are where the migrators sign requests, so they are trusted configuration: a catalogue write
     * changes a site's prices, capacity and state, never where it is. Only the operator's own configuration (a pin)
     * moves a site; the caller checks pins first.
     */
    public static Optional<String> siteMoveProblem(Site current, Site proposed) {
        if (current == null || SitePlace.of(current).equals(SitePlace.of(proposed))) {
            return Optional.empty();
        }
        return problem("site '" + proposed.getName() + "' is at " + SitePlace.of(current) + "; a catalogue write "
                + "does not move it to " + SitePlace.of(proposed) + " (endpoint and bucket are trusted configuration: "
                + "pin the new place in the configuration of the API and the migrators, see DESIGN.md "
                + "\"Safety invariants\")");
    }

    /** Why {@code site} cannot be in the catalogue, or empty if it can. */
    public static Optional<String> siteProblem(Site site) {
        if (site.getName() == null || site.getName().isBlank()) {
            return problem("a site needs a name");
        }
        try {
            URI endpoint = new URI(site.getEndpoint());
            if (!List.of("http", "https", "file").contains(String.valueOf(endpoint.getScheme()))) {
                return problem("endpoint must be an http(s):// S3 endpoint or a file:// directory");
            }
        } catch (URISyntaxException e) {
            return problem("endpoint is not a URI: " + e.getMessage());
        }
        if (site.getStorageClasses().isEmpty()) {
            return problem("storageClasses must name at least one storage class with its prices");
        }
        for (StorageClassPrice c : site.getStorageClasses()) {
            if (!notNegative(c.getStoragePricePerGbMonth()) || !notNegative(c.getRetrievalPricePerGb())
                    || !notNegative(c.getRequestPricePer1000()) || !notNegative(c.getPutPricePer1000())
                    || !notNegative(c.getMonitoringPricePerObjectMonth()) || c.getMinimumStorageDays() < 0
                    || c.getMinimumBillableBytes() < 0) {
                return problem("prices, minimumStorageDays and minimumBillableBytes of class '" + c.getName()
                        + "' must be numbers not below 0");
            }
        }
        if (!notNegative(site.getP95LatencyMs()) || !notNegative(site.getEgressPricePerGb())) {
            return problem("p95LatencyMs and egressPricePerGb must be numbers not below 0");
        }
        if (site.getCapacityBytes() <= 0) {
            return problem("capacityBytes must be positive");
        }
        return Optional.empty();
    }

    /** Why {@code model} cannot score decisions, or empty if it can. */
    public static Optional<String> modelProblem(Model model) {
        if (!Double.isFinite(model.getIntercept())) {
            return problem("intercept must be a finite number");
        }
        for (FeatureWeight f : model.getFeatures()) {
            if (!Double.isFinite(f.getMean()) || !Double.isFinite(f.getScale())
                    || !Double.isFinite(f.getCoefficient())) {
                return problem("mean, scale and coefficient of feature '" + f.getName() + "' must be finite numbers");
            }
        }
        return Optional.empty();
    }

    private static boolean notNegative(double value) {
        return Double.isFinite(value) && value >= 0;
    }

    private static Optional<String> problem(String message) {
        return Optional.of(message);
    }
}
