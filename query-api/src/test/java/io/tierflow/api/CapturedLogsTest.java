package io.tierflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log capture ConsoleBrowserIT looks for the token in: it must see what a careless line would leak. */
class CapturedLogsTest {
    private static final Logger log = LoggerFactory.getLogger("io.tierflow.api.CapturedLogsTest.careless");

    @Test
    void shouldCaptureDebugLinesArgumentsAndStackTracesThenLetGo() {
        assertFalse(log.isDebugEnabled(), "logback-test.xml keeps io.tierflow at INFO");
        CapturedLogs logs = CapturedLogs.attach("io.tierflow");
        try {
            log.debug("authorising with {}", "secret-in-an-argument");
            log.warn("request failed", new IllegalStateException("secret-in-an-exception"));
        } finally {
            logs.detach();
        }
        log.warn("after detach: secret-not-captured");

        assertEquals(2, logs.lines().size(), String.join("\n", logs.lines()));
        assertTrue(logs.lines().get(0).contains("secret-in-an-argument"), logs.lines().get(0));
        assertTrue(logs.lines().get(1).contains("secret-in-an-exception"), logs.lines().get(1));
        assertFalse(log.isDebugEnabled(), "the level given back");
    }
}
