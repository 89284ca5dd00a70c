package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each copy's own version token, and which copies still hold the current version. */
class CopyVersionsTest {
    @Test
    void shouldRecordTheTokenTheDestinationReportedAndForgetARetiredCopy() {
        Map<String, String> before = Map.of("azure", "\"v1\"");
        Map<String, String> copied = CopyVersions.afterStep(before, MigrationPlanner.Action.COPY, "azure", "onprem",
                "file-etag");
        assertEquals(Map.of("azure", "\"v1\"", "onprem", "file-etag"), copied);
        assertEquals(Map.of("azure", "\"v1\""), before, "the tokens before are left as they were");
        Map<String, String> retired = CopyVersions.afterStep(copied, MigrationPlanner.Action.RETIRE, "azure", "azure",
                null);
        assertEquals(Map.of("onprem", "file-etag"), retired);
        assertEquals(Map.of("azure", "\"v1\""), CopyVersions.afterStep(copied, MigrationPlanner.Action.SWITCH, "azure",
                "onprem", null), "no token reported: the copy is taken to carry the inventory's");
    }

    @Test
    void shouldFallBackToTheInventorysTokenForACopyWithoutItsOwn() {
        assertEquals("file-etag", CopyVersions.tokenOf(Map.of("onprem", "file-etag"), "onprem", "\"v1\""));
        assertEquals("\"v1\"", CopyVersions.tokenOf(Map.of("onprem", "file-etag"), "aws", "\"v1\""));
    }

    @Test
    void shouldSeeANewVersionInEitherTheTokenOrTheChecksum() {
        assertFalse(CopyVersions.versionChanged("\"v1\"", "AB", "\"v1\"", "ab"));
        assertTrue(CopyVersions.versionChanged("\"v1\"", "ab", "\"v2\"", "ab"));
        assertTrue(CopyVersions.versionChanged("\"v1\"", "ab", "\"v1\"", "cd"));
    }

    @Test
    void shouldDropCopiesOfTheOldVersionAndKeepThoseOfTheNewOne() {
        CopyVersions.Placed before = new CopyVersions.Placed("onprem", List.of("aws", "gcp", "azure"), "STANDARD",
                Map.of("onprem", "file-etag", "aws", "\"v2\""));
        // gcp has no token of its own: it holds the old inventory version; azure is where the owner wrote v2.
        CopyVersions.Placed after = CopyVersions.afterNewVersion(before, "\"v1\"", "\"v2\"", "azure", List.of(),
                "COOL");
        assertEquals("azure", after.primary(), "the old primary holds the old version: the entry's primary serves");
        assertEquals("COOL", after.storageClass());
        assertEquals(List.of("aws"), after.replicas(), "aws carries the new token; onprem and gcp do not");
        assertEquals(Map.of("azure", "\"v2\"", "aws", "\"v2\""), after.versions());
    }

    @Test
    void shouldTrustOnlyTheListedSitesWhenTheChecksumChangedUnderTheSameToken() {
        CopyVersions.Placed before = new CopyVersions.Placed("azure", List.of("aws"), "COOL", Map.of());
        CopyVersions.Placed after = CopyVersions.afterNewVersion(before, "\"v1\"", "\"v1\"", "azure", List.of(),
                "COOL");
        assertEquals(List.of(), after.replicas(), "aws carries the old token, which no longer tells the bytes apart");
    }

    @Test
    void shouldKeepThePrimaryWhenTheOwnerWroteTheNewVersionThere() {
        CopyVersions.Placed before = new CopyVersions.Placed("aws", List.of("onprem"), "STANDARD_IA",
                Map.of("aws", "\"v1\"", "onprem", "file-etag"));
        CopyVersions.Placed after = CopyVersions.afterNewVersion(before, "\"v1\"", "\"v2\"", "aws", List.of(),
                "STANDARD");
        assertEquals("aws", after.primary());
        assertEquals("STANDARD_IA", after.storageClass(), "the copy's class is what completed migrations set");
        assertEquals(List.of(), after.replicas());
    }
}
