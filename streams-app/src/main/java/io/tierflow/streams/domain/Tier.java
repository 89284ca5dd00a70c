package io.tierflow.streams.domain;

/** Storage tier, hottest first (the domain's own copy of the Avro enum, so domain code needs no generated types). */
public enum Tier {
    HOT, WARM, COLD;

    public boolean hotterThan(Tier other) {
        return ordinal() < other.ordinal();
    }
}
