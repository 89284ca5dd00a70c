package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolicyScopesTest {
    /** The policies are their names here: which one is picked is all that matters. */
    private static final String DEFAULT = "default";

    /** The precedence table of DESIGN.md ("Scoped policies"), one row per rule, over one set of policies. */
    private static final PolicyScopes<String> TABLE = PolicyScopes.of(DEFAULT, List.of(
            scoped("logs", "logs/", null, null),
            scoped("logs-app", "logs/app/", null, null),
            scoped("logs-json", "logs/", null, "application/json"),
            scoped("ml-team", null, "ml", null),
            scoped("parquet", null, null, "application/x-parquet"),
            scoped("ml-parquet", null, "ml", "application/x-parquet"),
            scoped("models", "models/", null, null),
            scoped("models-ml", "models/", "ml", null),
            scoped("models-ml-onnx", "models/", "ml", "application/onnx"),
            scoped("models-big", "models/big/", null, null)));

    @ParameterizedTest(name = "{0} owned by {1} as {2} -> {3}")
    @CsvSource(nullValues = "-", textBlock = """
            # key,                 owner, media type,             policy:      why
            other/x,               web,   text/plain,             default      # no scope matches: the catch-all
            logs/x,                web,   text/plain,             logs         # the one prefix that matches
            logs,                  web,   text/plain,             default      # a prefix matches character by character
            logs2/x,               web,   text/plain,             default      # ... as logs/ is no prefix of it
            logs/app/x,            web,   text/plain,             logs-app     # a longer prefix beats a shorter one
            logs/app/x,            web,   application/json,       logs-json    # more conditions beat a longer prefix
            logs/x,                ml,    text/plain,             logs         # equal conditions: a prefix beats none
            other/x,               ml,    text/plain,             ml-team      # owner alone
            other/x,               web,   application/x-parquet,  parquet      # content type alone
            other/x,               ml,    application/x-parquet,  ml-parquet   # two conditions beat one
            models/x,              ml,    application/onnx,       models-ml-onnx # all three beat two
            models/x,              ml,    text/plain,             models-ml    # prefix + owner beats the prefix
            models/big/x,          ml,    text/plain,             models-ml    # two conditions beat a longer prefix
            models/big/x,          web,   text/plain,             models-big   # one condition each: longer prefix
            models/x,              -,     -,                      models       # owner and type unknown: key only
            """)
    void shouldFollowThePrecedenceTable(String key, String owner, String mediaType, String expected) {
        assertEquals(expected.strip().split("\\s")[0],
                TABLE.policyFor(key.strip(), strip(owner), strip(mediaType)));
    }

    @Test
    void shouldPreferAnOwnerToAContentTypeWhenAllElseTies() {
        PolicyScopes<String> scopes = PolicyScopes.of(DEFAULT, List.of(scoped("by-type", null, null, "text/csv"),
                scoped("by-owner", null, "ml", null)));

        assertEquals("by-owner", scopes.policyFor("a/b", "ml", "text/csv"));
    }

    @Test
    void shouldOrderTwoPoliciesWithOneScopeByName() {
        // The API refuses this; a record produced straight to Kafka still gets the same answer on every node.
        PolicyScopes<String> scopes = PolicyScopes.of(DEFAULT, List.of(scoped("zeta", "logs/", null, null),
                scoped("alpha", "logs/", null, null)));

        assertEquals("alpha", scopes.policyFor("logs/x", null, null));
    }

    @Test
    void shouldGiveTheCatchAllWhenNothingIsScoped() {
        TieringPolicy catchAll = TieringPolicy.BUILT_IN;
        PolicyScopes<TieringPolicy> scopes = PolicyScopes.of(catchAll, List.of());

        assertSame(catchAll, scopes.policyFor("logs/x", "ml", "text/csv"));
    }

    @Test
    void shouldCompareMediaTypesWithoutParametersOrCase() {
        assertEquals("text/csv", PolicyScopes.mediaType(" Text/CSV; charset=utf-8"));
        assertEquals("application/json", PolicyScopes.mediaType("application/json;"));
        String already = "application/json";
        assertSame(already, PolicyScopes.mediaType(already));
        assertEquals(null, PolicyScopes.mediaType(null));
    }

    @Test
    void shouldRefuseAScopeWithoutConditions() {
        assertThrows(IllegalArgumentException.class, () -> new PolicyScopes.Scope(null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new PolicyScopes.Scope("", "ml", null));
    }

    /** The trie walk against the obvious rule (every policy checked, the first in precedence that matches). */
    @Test
    void shouldAgreeWithAScanOfEveryPolicyOnRandomScopes() {
        Random random = new Random(21);
        String[] owners = {"ml", "web", "ops"};
        String[] types = {"text/csv", "application/json"};
        for (int round = 0; round < 2_000; round++) {
            List<PolicyScopes.Scoped<String>> scoped = new ArrayList<>();
            int count = random.nextInt(12);
            for (int i = 0; i < count; i++) {
                String prefix = random.nextInt(4) == 0 ? null : randomText(random, 1 + random.nextInt(4));
                String owner = random.nextInt(3) == 0 ? owners[random.nextInt(owners.length)] : null;
                String type = random.nextInt(3) == 0 ? types[random.nextInt(types.length)] : null;
                if (prefix == null && owner == null && type == null) {
                    prefix = randomText(random, 1);
                }
                scoped.add(scoped("p" + i, prefix, owner, type));
            }
            PolicyScopes<String> scopes = PolicyScopes.of(DEFAULT, scoped);
            for (int k = 0; k < 50; k++) {
                String key = randomText(random, 1 + random.nextInt(6));
                String owner = random.nextInt(4) == 0 ? null : owners[random.nextInt(owners.length)];
                String type = random.nextInt(4) == 0 ? null : types[random.nextInt(types.length)];
                String expected = scoped.stream().filter(s -> s.scope().matches(key, owner, type))
                        .min(PolicyScopes.PRECEDENCE).map(PolicyScopes.Scoped::policy).orElse(DEFAULT);
                assertEquals(expected, scopes.policyFor(key, owner, type),
                        () -> key + " " + owner + " " + type + " under " + scoped);
            }
        }
    }

    @Test
    void shouldListTheScopedPoliciesMostSpecificFirst() {
        List<PolicyScopes.Scoped<String>> listed = TABLE.scoped();
        List<PolicyScopes.Scoped<String>> sorted = new ArrayList<>(listed);
        sorted.sort(Comparator.comparing(PolicyScopes.Scoped::name));
        sorted.sort(PolicyScopes.PRECEDENCE);
        assertEquals(sorted, listed);
        assertEquals("models-ml-onnx", listed.get(0).name());
    }

    private static String randomText(Random random, int length) {
        char[] alphabet = {'a', 'b', '/'};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return text.toString();
    }

    private static String strip(String value) {
        return value == null ? null : value.strip();
    }

    private static PolicyScopes.Scoped<String> scoped(String name, String prefix, String owner, String type) {
        return new PolicyScopes.Scoped<>(new PolicyScopes.Scope(prefix, owner, type), name, name);
    }
}
