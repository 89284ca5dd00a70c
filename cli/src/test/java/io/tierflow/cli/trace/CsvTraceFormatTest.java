package io.tierflow.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.AccessOp;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTraceFormatTest {
    private static CollectingSink read(CsvTraceFormat format, String text) throws Exception {
        CollectingSink sink = new CollectingSink();
        format.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv", sink);
        return sink;
    }

    @Test
    void shouldReadLibCacheSimCsvByPositionWithTheHeaderDetected() throws Exception {
        String csv = "version,time,op,size,lbn\r\n"
                + "1,5633898,2a,512,42932745\r\n"
                + "1,5633899,28,4096,40409911\r\n"
                + "1,5633899,ff,4096,40409911\r\n" // unknown op
                + "1,soon,28,4096,40409911\r\n" // time not a number
                + "1,5633900,28\r\n"; // too few columns
        CsvTraceFormat format = CsvTraceFormat.libCacheSim(2, 5, 4, 3, CsvTraceFormat.Header.AUTO, 1);

        CollectingSink sink = read(format, csv);

        assertEquals(2, sink.requests.size());
        assertEquals(new TraceRequest(5633898, "42932745", AccessOp.PUT, 512, 512, Double.NaN, 2),
                sink.requests.get(0));
        assertEquals(AccessOp.GET, sink.requests.get(1).op());
        assertEquals(List.of(4L, 5L, 6L), sink.bad.stream().map(TraceImporter.BadLine::line).toList());
        assertTrue(sink.bad.get(0).reason().contains("unknown op 'ff'"), sink.bad.toString());
    }

    @Test
    void shouldReadALibCacheSimCsvWithoutHeaderFromItsFirstLine() throws Exception {
        CollectingSink sink = read(CsvTraceFormat.libCacheSim(1, 2, 3, 0, CsvTraceFormat.Header.AUTO, 1e-3),
                "1500,obj-a,100\n2500,obj-b,200\n");
        assertEquals(2, sink.requests.size());
        assertEquals(1.5, sink.requests.get(0).timeSeconds(), "milliseconds to seconds");
        assertEquals(AccessOp.GET, sink.requests.get(0).op(), "no op column: a read");
    }

    @Test
    void shouldMapNamedColumnsAndApplyTheSizeRuleForUnknownSizes() throws Exception {
        String csv = "timestamp,cacheKey,OpType,objectSize,responseSize,responseHeaderSize,rangeStart,rangeEnd\n"
                + "100,\"cdn:v/a,b.mp4\",1,28816957,54773,496,1582962,1637233\n"
                + "101,cdn:img.jpg,1,-1,7706,540,-1,-1\n" // size unknown: the body, 7166
                + "102,cdn:big.mp4,1,-1,1000,100,0,4999\n" // size unknown: range end + 1 is larger
                + "103,cdn:open.mp4,1,10000,2000,0,9000,-1\n" // open-ended range: to the end
                + "104,,1,5,5,0,-1,-1\n"; // no key
        CsvTraceFormat format = new CsvTraceFormat(CsvTraceFormat.parseColumns("time=timestamp,key=cacheKey,"
                + "size=objectSize,range-start=rangeStart,range-end=rangeEnd,op=OpType,response-size=responseSize,"
                + "response-header-size=responseHeaderSize"), CsvTraceFormat.Header.AUTO, 1, ',');

        CollectingSink sink = read(format, csv);

        assertEquals(4, sink.requests.size(), sink.bad.toString());
        assertEquals("cdn:v/a,b.mp4", sink.requests.get(0).objectId(), "a quoted field keeps its comma");
        assertEquals(1637233 - 1582962 + 1, sink.requests.get(0).bytes());
        assertEquals(28816957, sink.requests.get(0).objectSize());
        assertEquals(7166, sink.requests.get(1).objectSize());
        assertEquals(7166, sink.requests.get(1).bytes());
        assertEquals(5000, sink.requests.get(2).objectSize());
        assertEquals(1000, sink.requests.get(3).bytes());
        assertEquals(1, sink.bad.size());
        assertEquals(6, sink.bad.get(0).line());
    }

    @Test
    void shouldReportAMissingHeaderColumnOnEveryLine() throws Exception {
        CsvTraceFormat format = new CsvTraceFormat(CsvTraceFormat.parseColumns("time=ts,key=cacheKey"),
                CsvTraceFormat.Header.AUTO, 1, ',');
        CollectingSink sink = read(format, "timestamp,cacheKey\n1,a\n");
        assertEquals(0, sink.requests.size());
        assertTrue(sink.bad.get(0).reason().contains("no column 'ts'"), sink.bad.toString());
    }

    @Test
    void shouldRejectMappingsItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> CsvTraceFormat.parseColumns("time=1,colour=2"));
        assertThrows(IllegalArgumentException.class, () -> CsvTraceFormat.parseColumns("time"));
        assertThrows(IllegalArgumentException.class, () -> new CsvTraceFormat(CsvTraceFormat.parseColumns("time=1"),
                CsvTraceFormat.Header.AUTO, 1, ','));
        assertThrows(IllegalArgumentException.class, () -> new CsvTraceFormat(
                CsvTraceFormat.parseColumns("time=t,key=k"), CsvTraceFormat.Header.NO, 1, ','));
    }

    @Test
    void shouldSplitQuotedCsvFields() throws Exception {
        assertEquals(List.of("a", "b,c", "say \"hi\"", ""), CsvTraceFormat.split("a,\"b,c\",\"say \"\"hi\"\"\",", ','));
        assertThrows(BadLineException.class, () -> CsvTraceFormat.split("a,\"b", ','));
    }
}
