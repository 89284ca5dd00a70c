package io.tierflow.cli.rebalance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.localstack.Eventually;
import io.tierflow.localstack.LocalStack;
import io.tierflow.localstack.SharedLocalStack;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The election of the instance that runs the periodic pass, on the real broker: one at a time, and a successor. */
class PassElectionIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldElectExactlyOneInstanceAndAnotherWhenItLeaves() throws Exception {
        LocalStack stack = SharedLocalStack.fresh();
        PassElection first = new PassElection(stack.bootstrapServers(), "pass-election-it");
        try (PassElection second = new PassElection(stack.bootstrapServers(), "pass-election-it")) {
            Eventually.holds(TIMEOUT, "one of the two is elected", () -> first.elected() || second.elected());
            assertFalse(first.elected() && second.elected(), "never both");
            PassElection elected = first.elected() ? first : second;
            PassElection other = elected == first ? second : first;

            elected.close();

            Eventually.holds(TIMEOUT, "the other takes over", other::elected);
            assertFalse(elected.elected(), "a closed instance runs no pass");
            assertTrue(other.elected());
        } finally {
            first.close(); // closing twice is harmless
        }
    }
}
