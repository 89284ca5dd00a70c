package io.tierflow.cli.traffic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DatasetInventoryTest {
    private static final List<String> SITES = List.of("aws", "azure", "gcp", "onprem");

    @Test
    void shouldDrawLogNormalSizesAroundOneMebibyteCappedAtTheMaximum() {
        List<DatasetSpec> uncapped = DatasetInventory.generate(1, 4001, SITES, Long.MAX_VALUE);
        long[] sizes = uncapped.stream().mapToLong(DatasetSpec::sizeBytes).sorted().toArray();
        double median = sizes[sizes.length / 2];
        assertEquals(DatasetInventory.MEDIAN_BYTES, median, DatasetInventory.MEDIAN_BYTES * 0.1);

        long cap = 2L << 20;
        List<DatasetSpec> capped = DatasetInventory.generate(1, 4001, SITES, cap);
        assertTrue(capped.stream().allMatch(d -> d.sizeBytes() >= 1 && d.sizeBytes() <= cap));
        assertTrue(capped.stream().anyMatch(d -> d.sizeBytes() == cap), "some sizes are cut to the cap");
    }

    @Test
    void shouldGiveEveryDatasetAKeyAnOwnerATypeAndAPrimaryAmongTheSites() {
        List<DatasetSpec> datasets = DatasetInventory.generate(5, 500, SITES, 1 << 20);

        assertEquals(500, datasets.size());
        assertEquals("datasets/d000001", datasets.get(0).key());
        assertEquals(42, DatasetInventory.rankOf(datasets.get(41).key()));
        assertEquals(500, datasets.stream().map(DatasetSpec::key).distinct().count());
        assertEquals(Set.copyOf(SITES), datasets.stream().map(DatasetSpec::primarySite).collect(Collectors.toSet()));
        assertTrue(datasets.stream().map(DatasetSpec::contentType).distinct().count() > 3);
        assertTrue(datasets.stream().map(DatasetSpec::owner).distinct().count() > 3);
    }

    @Test
    void shouldKeepADatasetTheSameWhateverTheCount() {
        DatasetSpec fromSmall = DatasetInventory.generate(9, 50, SITES, 1 << 20).get(41);
        DatasetSpec fromLarge = DatasetInventory.generate(9, 5000, SITES, 1 << 20).get(41);
        assertEquals(fromSmall, fromLarge);
    }

    @Test
    void shouldChecksumTheBytesThatAreGenerated() throws Exception {
        DatasetSpec dataset = DatasetInventory.generate(3, 10, SITES, 300_000).get(0);
        byte[] bytes;
        try (InputStream in = dataset.openContent()) {
            bytes = in.readAllBytes();
        }
        assertEquals(dataset.sizeBytes(), bytes.length);
        ContentChecksums checksums;
        try (InputStream in = dataset.openContent()) {
            checksums = ContentChecksums.of(in);
        }
        HexFormat hex = HexFormat.of();
        assertEquals(hex.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), checksums.sha256());
        assertEquals("\"" + hex.formatHex(MessageDigest.getInstance("MD5").digest(bytes)) + "\"",
                checksums.singlePartEtag());
        // The same bytes however they are read.
        assertArrayEquals(bytes, readInOddChunks(dataset.openContent()));

        Dataset record = dataset.toRecord(checksums.sha256(), checksums.singlePartEtag(),
                Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(dataset.key(), record.getKey());
        assertEquals(dataset.sizeBytes(), record.getSizeBytes());
        assertEquals(DatasetSpec.STORAGE_CLASS, record.getStorageClass());
        assertEquals(List.of(), record.getReplicaSites());
    }

    private static byte[] readInOddChunks(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[7777];
        int n;
        int round = 0;
        while ((n = in.read(buffer, 0, 1 + (round++ * 131) % buffer.length)) != -1) {
            out.write(buffer, 0, n);
            int single = in.read();
            if (single == -1) {
                break;
            }
            out.write(single);
        }
        return out.toByteArray();
    }
}
