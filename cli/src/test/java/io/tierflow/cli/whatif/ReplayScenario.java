package io.tierflow.cli.whatif;

import io.tierflow.localstack.LocalSiteCatalogue;
import io.tierflow.localstack.SiteEndpoint;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.streams.TieringSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Inputs for replay tests: the local stack's priced sites, a quick policy, datasets and reads with event times. */
final class ReplayScenario {
    static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    static final String SHA = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    static final long GB = 1_000_000_000L;

    private ReplayScenario() {
    }

    static Map<String, Site> sites() {
        Map<String, Site> sites = new LinkedHashMap<>();
        for (String name : List.of("aws", "azure", "gcp")) {
            sites.put(name, LocalSiteCatalogue.site(new SiteEndpoint(name, URI.create("http://127.0.0.1:1"),
                    "tierflow")));
        }
        return sites;
    }

    /** Heat in access counts: hot at 20, warm at 2, one-hour half-life, a minute's cooldown, ten minutes' grace. */
    static Policy policy(double hotThreshold) {
        return Policy.newBuilder().setName("default").setHeatHalfLifeSeconds(3600).setOpWeights(Map.of())
                .setHotThreshold(hotThreshold).setWarmThreshold(2).setHysteresis(0.25).setScoreBoost(0)
                .setReplicationHot(1).setReplicationWarm(1).setReplicationCold(1).setDefaultLatencySlaMs(50)
                .setEncryptedOnly(false).setMigrationBudgetBytesPerHour(Long.MAX_VALUE).setCooldownSeconds(60)
                .setHorizonDays(30).setRetireGraceSeconds(600).setLatenessSeconds(300).setUpdatedAt(START).build();
    }

    static WhatIfSetup setup(Path stateDir, SimulatedMigrator migrator) {
        return new WhatIfSetup(sites(), null, null, TieringSettings.DEFAULTS, migrator, stateDir,
                Duration.ofHours(1));
    }

    static Dataset dataset(String key, String primary, String storageClass, long sizeBytes, Instant at) {
        return Dataset.newBuilder().setKey(key).setSizeBytes(sizeBytes).setContentType("application/octet-stream")
                .setOwner("team").setVersionToken("\"v1\"").setSha256(SHA).setPrimarySite(primary)
                .setStorageClass(storageClass).setUpdatedAt(at).build();
    }

    static ReplayInput.Access read(String key, Instant at, String region, int n) {
        AccessEvent event = AccessEvent.newBuilder().setKey(key).setOp(AccessOp.GET).setBytes(100_000_000)
                .setServedFrom("azure").setClientRegion(region).setLatencyMs(20).setEventTime(at)
                .setEventId(key + "-" + n).build();
        return new ReplayInput.Access(event, at.toEpochMilli());
    }

    /**
     * Three datasets over two days: one read in bursts from us-east (promoted), one read now and then from eu-west,
     * one never read; each on azure's cold class to begin with, its inventory first.
     */
    static List<ReplayInput> twoDays() {
        List<ReplayInput> inputs = new ArrayList<>();
        for (String key : List.of("burst", "steady", "idle")) {
            inputs.add(new ReplayInput.Inventory(key, dataset(key, "azure", "GLACIER_IR", GB, START),
                    START.toEpochMilli()));
        }
        Random random = new Random(11);
        int n = 0;
        for (long minute = 1; minute < 2 * 24 * 60; minute++) {
            Instant at = START.plusSeconds(minute * 60);
            boolean inBurst = minute % (12 * 60) < 90; // an hour and a half of busy reads every twelve hours
            if (inBurst && random.nextInt(2) == 0) {
                inputs.add(read("burst", at, "us-east", n++));
            }
            if (minute % 45 == 0) {
                inputs.add(read("steady", at.plusMillis(random.nextInt(1000)), "eu-west", n++));
            }
        }
        return inputs;
    }
}
