package io.tierflow.streams.domain.placement;

/** The estate cannot be placed within its sites' capacities (and the budget): the message says what does not fit. */
public final class InfeasibleEstateException extends RuntimeException {
    public InfeasibleEstateException(String message) {
        super(message);
    }
}
