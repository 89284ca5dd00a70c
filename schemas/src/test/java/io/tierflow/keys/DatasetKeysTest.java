package io.tierflow.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DatasetKeysTest {

    @Test
    void shouldAcceptOrdinaryKeys() {
        for (String key : new String[] {"datasets/d000042", "a", "a/b/c.parquet", "logs/2026-12-07/part-0001.gz",
                "..a/b..", ".hidden/x", "données/été/日本語/😀.bin", "a b/c+d=e", "x".repeat(255) + "/y"}) {
            assertEquals(Optional.empty(), DatasetKeys.problem(key), key);
        }
    }

    @Test
    void shouldNameTheProblemOfEveryNonCanonicalShape() {
        assertProblem("", "empty");
        assertProblem(null, "empty");
        assertProblem("/etc/passwd", "absolute");
        assertProblem("/", "absolute");
        assertProblem("a//b", "empty segment");
        assertProblem("a/", "ends with '/'");
        assertProblem("a/b/", "ends with '/'");
        assertProblem(".", "'.' segment");
        assertProblem("..", "'..' segment");
        assertProblem("a/./b", "'.' segment");
        assertProblem("a/../../etc", "'..' segment");
        assertProblem("../a", "'..' segment");
        assertProblem("a/..", "'..' segment");
        assertProblem("a\u0000b", "U+0000");
        assertProblem("a\nb", "U+000A");
        assertProblem("a\u007fb", "U+007F");
        assertProblem("a\u0085b", "U+0085");
        assertProblem("a\ud800b", "unpaired surrogate");
        assertProblem("a/" + "x".repeat(256), "segment of 256 bytes");
        assertProblem("é".repeat(128), "segment of 256 bytes");
        String long1025 = ("x".repeat(200) + "/").repeat(5) + "abcdefghijklmnopqrst"; // 5 * 201 + 20 = 1025 bytes
        assertEquals(1025, long1025.getBytes(StandardCharsets.UTF_8).length);
        assertProblem(long1025, "1025 bytes");
        String long1024 = long1025.substring(1);
        assertEquals(Optional.empty(), DatasetKeys.problem(long1024));
    }

    @Test
    void shouldAcceptPrefixesThatKeysCanGoOnFrom() {
        for (String prefix : new String[] {"logs/", "logs", "logs/2026-", "a/.", "a/..", ".hidden/", "données/"}) {
            assertEquals(Optional.empty(), DatasetKeys.prefixProblem(prefix), prefix);
        }
    }

    @Test
    void shouldNameTheProblemOfANonCanonicalPrefix() {
        assertEquals(Optional.of("the prefix is empty"), DatasetKeys.prefixProblem(""));
        assertEquals(Optional.of("the prefix is empty"), DatasetKeys.prefixProblem(null));
        assertTrue(DatasetKeys.prefixProblem("/logs/").orElseThrow().contains("the prefix is absolute"));
        assertTrue(DatasetKeys.prefixProblem("logs//").orElseThrow().contains("the prefix has an empty segment"));
        assertTrue(DatasetKeys.prefixProblem("a/../").orElseThrow().contains("'..' segment"));
        assertTrue(DatasetKeys.prefixProblem("a\tb".translateEscapes()).orElseThrow().contains("U+0009"));
        assertTrue(DatasetKeys.prefixProblem("x".repeat(1024)).orElseThrow().contains("1024 bytes"));
    }

    /** Keys made of the characters that matter, checked against an obvious split-and-look implementation. */
    @Test
    void shouldAgreeWithAnObviousRuleOnRandomKeys() {
        Random random = new Random(3);
        char[] alphabet = {'a', 'b', '.', '/', '/', '\u0000', '\t', 'é', '日', '\ud83d', '\ude00', ' '};
        for (int i = 0; i < 100_000; i++) {
            StringBuilder key = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                key.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String k = key.toString();
            assertEquals(obviouslyCanonical(k), DatasetKeys.isCanonical(k), () -> "key " + k.codePoints()
                    .mapToObj(c -> String.format("U+%04X", c)).toList());
        }
    }

    private static boolean obviouslyCanonical(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
            return false;
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(key)) {
            return false; // unpaired surrogates
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > 1024 || key.chars().anyMatch(Character::isISOControl)) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.getBytes(StandardCharsets.UTF_8).length > 255) {
                return false;
            }
        }
        return true;
    }

    private static void assertProblem(String key, String expected) {
        Optional<String> problem = DatasetKeys.problem(key);
        assertTrue(problem.isPresent() && problem.get().contains(expected), () -> key + ": " + problem);
    }
}
