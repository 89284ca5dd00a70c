package io.tierflow.migrator;

import io.tierflow.schemas.MigrationCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RETIREs of one partition read again from the range an earlier owner deferred (see {@link PartitionProgress}),
 * held until the range has been read whole so that a newer command of the same dataset found there supersedes them.
 * Bounded however long the range: one RETIRE per dataset (a newer command of a dataset, whatever its action, makes an
 * older RETIRE superseded, so it is dropped at once), and at most {@code limit} datasets; beyond that the held RETIREs
 * are released to run now (each one checks, right before deleting, the copy it keeps, so running it before the rest of
 * the range was read is safe; only the early supersession is given up). Not thread-safe: the poll loop's.
 */
final class ReplayedRetires {
    /** What taking a command changed: RETIREs no longer to run (superseded), and RETIREs to run now. */
    record Taken(List<CommandTask> dropped, List<CommandTask> release) {
    }

    private final int limit;
    private final Map<String, CommandTask> newestByDataset = new LinkedHashMap<>();

    ReplayedRetires(int limit) {
        this.limit = Math.max(1, limit);
    }

    /**
     * Takes a command read again in the range: a RETIRE is held (unless a newer command of its dataset was seen),
     * any command drops the held RETIRE of its dataset that it supersedes.
     */
    Taken take(CommandTask task, boolean retire) {
        MigrationCommand command = task.command();
        List<CommandTask> dropped = new ArrayList<>();
        CommandTask held = newestByDataset.get(command.getKey());
        if (held != null && supersedes(command, held.command())) {
            dropped.add(newestByDataset.remove(command.getKey()));
            held = null;
        }
        if (!retire) {
            return new Taken(dropped, List.of());
        }
        if (held != null) {
            dropped.add(task); // an older (or the same) command than the RETIRE already held
            return new Taken(dropped, List.of());
        }
        newestByDataset.put(command.getKey(), task);
        if (newestByDataset.size() <= limit) {
            return new Taken(dropped, List.of());
        }
        return new Taken(dropped, release());
    }

    /** Every RETIRE held, to run now; none is held afterwards. */
    List<CommandTask> release() {
        List<CommandTask> all = List.copyOf(newestByDataset.values());
        newestByDataset.clear();
        return all;
    }

    int size() {
        return newestByDataset.size();
    }

    /** Whether {@code newer} makes {@code older} superseded: a later sequence (later in the range on a tie of 0). */
    private static boolean supersedes(MigrationCommand newer, MigrationCommand older) {
        return newer.getSequence() > older.getSequence()
                || (newer.getSequence() == 0 && older.getSequence() == 0);
    }
}
