package io.tierflow.cli.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tierflow.api.AvroJson;
import io.tierflow.catalogue.CatalogueRules;
import io.tierflow.schemas.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Policies for a what-if from JSON files in the form {@code PUT /policies/{name}} takes (AvroJson: the schema's field
 * names, plain values), checked with the rules the API and the topology apply. The row is named by the file's
 * {@code name} field, else by the file's name without {@code .json}.
 */
public final class PolicyFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyFiles() {
    }

    /** The policy in {@code file}; a {@link WhatIfException} naming the file and the problem otherwise. */
    public static Policy read(Path file) {
        JsonNode tree;
        try {
            tree = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new WhatIfException("cannot read policy " + file + ": " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode body)) {
            throw new WhatIfException("policy " + file + " is not a JSON object");
        }
        if (!body.hasNonNull("name")) {
            String stem = file.getFileName().toString();
            body.put("name", stem.endsWith(".json") ? stem.substring(0, stem.length() - 5) : stem);
        }
        if (!body.has("updatedAt")) {
            body.put("updatedAt", Instant.EPOCH.toString()); // not the clock: the same file gives the same replay
        }
        Policy policy;
        try {
            policy = AvroJson.fromJson(body, Policy.class);
        } catch (RuntimeException e) {
            throw new WhatIfException("policy " + file + ": " + e.getMessage());
        }
        CatalogueRules.policyProblem(policy).ifPresent(problem -> {
            throw new WhatIfException("policy " + file + ": " + problem);
        });
        return policy;
    }
}
