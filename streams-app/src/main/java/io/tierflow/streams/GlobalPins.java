package io.tierflow.streams;

import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.GlobalPassPin;
import io.tierflow.schemas.GlobalPin;
import io.tierflow.streams.domain.PinnedPlacement;
import java.util.Map;

/**
 * The global pass's pins between the control topic, the dataset record and the explanation: a REOPTIMIZE of one
 * dataset carrying {@link #SITE}, {@link #PASS} and {@link #EXPIRES_AT} pins its primary ({@code tierflow rebalance
 * --apply}); the record keeps the pin ({@code globalPin}) until it expires, and each decision says what the pin did
 * ({@code explanation.globalPass}).
 */
public final class GlobalPins {
    /** Control parameter: the primary site the pass chose. */
    public static final String SITE = "pinSite";
    /** Control parameter: the pass's id. */
    public static final String PASS = "pinPass";
    /** Control parameter: epoch ms after which the pin no longer holds. */
    public static final String EXPIRES_AT = "pinExpiresAtMs";

    private GlobalPins() {
    }

    /**
     * The pin a control command carries, or null if it carries none.
     *
     * @throws InvalidRecordException if it carries some of a pin's parameters but not a valid pin
     */
    static GlobalPin of(ControlCommand command) {
        Map<String, String> parameters = command.getParameters();
        String site = parameters.get(SITE);
        String pass = parameters.get(PASS);
        String expires = parameters.get(EXPIRES_AT);
        if (site == null && pass == null && expires == null) {
            return null;
        }
        if (site == null || site.isBlank() || pass == null || pass.isBlank() || expires == null) {
            throw new InvalidRecordException("a pin needs " + SITE + ", " + PASS + " and " + EXPIRES_AT + "; got "
                    + parameters);
        }
        if (command.getKeys().size() != 1) {
            throw new InvalidRecordException("a pin applies to exactly one dataset key; got " + command.getKeys());
        }
        try {
            return new GlobalPin(site, pass, Long.parseLong(expires));
        } catch (NumberFormatException e) {
            throw new InvalidRecordException(EXPIRES_AT + " must be epoch milliseconds; got '" + expires + "'");
        }
    }

    /** The record's pin if it holds at {@code now}; an expired one is dropped from the record. */
    static PinnedPlacement.Pin inForce(DatasetState state, long now) {
        GlobalPin pin = state.getGlobalPin();
        if (pin == null) {
            return null;
        }
        if (now >= pin.getExpiresAtMs()) {
            state.setGlobalPin(null);
            return null;
        }
        return new PinnedPlacement.Pin(pin.getSite(), pin.getPass(), pin.getExpiresAtMs());
    }

    /** What the pin did, for the explanation; null if no pin was in force. */
    static GlobalPassPin explanation(PinnedPlacement.Outcome outcome) {
        if (outcome == null) {
            return null;
        }
        return new GlobalPassPin(outcome.pin().pass(), outcome.pin().site(), outcome.pin().expiresAtMs(),
                outcome.ownPrimary(), outcome.refusedBecause());
    }

    /**
     * When to look at the dataset again with nothing happening to it: its own time ({@code demotionAtMs}), or as soon
     * as may be if a pin was refused for a reason that can pass by itself (room freed as other datasets move off the
     * site, the site back up), while the pin holds.
     */
    static long lookAgainBy(PinnedPlacement.Outcome outcome, long demotionAtMs, long now) {
        if (outcome == null || !outcome.mayPassLater() || outcome.pin().expiredAt(now)) {
            return demotionAtMs;
        }
        return Math.min(demotionAtMs, now);
    }
}
