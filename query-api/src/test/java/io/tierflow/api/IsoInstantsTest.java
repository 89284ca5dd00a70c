package io.tierflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The API writes instants exactly as {@link Instant#toString()} does. */
class IsoInstantsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldWriteEveryMillisecondAsInstantToStringDoes() throws Exception {
        long[] edges = {0, 1, -1, 999, 1000, -1000, -1001, 86_399_999, 86_400_000, 951_782_400_000L /* 2000-02-29 */,
                951_868_799_999L, 4_107_542_400_000L /* 2100-03-01 */, 253_402_300_799_999L /* 9999-12-31 end */,
                253_402_300_800_000L /* year 10000 */, -62_167_219_200_000L /* 0000-01-01 */,
                -62_167_219_200_001L /* year -1 */, Long.MAX_VALUE / 1000, Long.MIN_VALUE / 1000,
                Instant.parse("2026-11-21T11:59:30.5Z").toEpochMilli()};
        for (long millis : edges) {
            assertWrittenAsInstant(millis);
        }
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            assertWrittenAsInstant(random.nextLong(-62_167_219_200_000L, 253_402_300_800_000L));
        }
        for (int i = 0; i < 10_000; i++) { // whole seconds, where no fraction is written
            assertWrittenAsInstant(random.nextLong(0, 4_102_444_800L) * 1000);
        }
    }

    @Test
    void shouldWriteInstantsFinerThanMillisecondsAsInstantToStringDoes() throws Exception {
        for (String text : new String[] {"2026-11-21T11:59:30.000001Z", "2026-11-21T11:59:30.123456789Z",
                "2026-11-21T11:59:30.120Z", "2026-11-21T11:59:30Z"}) {
            Instant instant = Instant.parse(text);
            assertEquals(JSON.writeValueAsString(instant.toString()), written(json -> IsoInstants.write(json, instant)));
        }
    }

    private static void assertWrittenAsInstant(long millis) throws Exception {
        assertEquals(JSON.writeValueAsString(Instant.ofEpochMilli(millis).toString()),
                written(json -> IsoInstants.write(json, millis)), "epoch millis " + millis);
    }

    private interface Writing {
        void to(JsonGenerator json) throws Exception;
    }

    private static String written(Writing writing) throws Exception {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.getFactory().createGenerator(text)) {
            writing.to(json);
        }
        return text.toString();
    }
}
