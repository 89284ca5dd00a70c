package io.tierflow.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatasetKeysTest {
    @Test
    void shouldAcceptOrdinaryKeys() {
        for (String key : List.of("a", "logs/2026/a.gz", "ünïcode/数据/😀.bin", "a.b/..c/c..", "x".repeat(255),
                ("y".repeat(200) + "/").repeat(5) + "z".repeat(19))) {
            assertEquals(Optional.empty(), DatasetKeys.validate(key), key);
        }
    }

    @Test
    void shouldRejectEveryNonCanonicalShapeWithAReason() {
        for (String key : List.of("", "/etc/passwd", "a/", "a//b", ".", "..", "a/./b", "a/../../b", "../x",
                "a\u0000b", "a\nb", "a\u007fb", "a\\b", "x".repeat(256), "a/" + "é".repeat(128),
                ("y".repeat(200) + "/").repeat(5) + "z".repeat(30), "bad\uD800surrogate")) {
            Optional<String> reason = DatasetKeys.validate(key);
            assertTrue(reason.isPresent() && !reason.get().isBlank(), "accepted: " + key);
        }
    }
}
