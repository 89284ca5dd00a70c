package io.tierflow.streams.domain;

/**
 * A model of the probability that a dataset is read soon, from its {@link Features}. Runs on every evaluation, so an
 * implementation allocates nothing while scoring.
 */
public interface Scorer {

    /** The version label, carried into every decision the scorer made. */
    String version();

    /** The probability, from 0 to 1. */
    double score(Features features);
}
