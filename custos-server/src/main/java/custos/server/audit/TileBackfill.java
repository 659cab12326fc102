package custos.server.audit;

import custos.audit.FullTile;
import custos.audit.LogTree;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.jdbi.v3.core.Jdbi;

/**
 * Builds the stored tiles of the entries that have none, when they are more than a start re-hashes anyway: once for a
 * log stored before tiles existed (the first start after the upgrade), or after the tiles were deleted (always safe:
 * they are rebuilt from the entries). Every entry is read once, in index order, checked (dense, each hash its data's)
 * and its tiles stored as they fill, so memory stays at the right edge; the tree it builds must reproduce the latest
 * signed checkpoint's root, so the upgrade checks the whole log once, as a start did before tiles.
 */
final class TileBackfill {
    private static final Logger LOG = Logger.getLogger(TileBackfill.class.getName());
    private static final long PROGRESS_EVERY = 1_000_000;

    private TileBackfill() {}

    /** Returns how many entries were read (0 when the tiles were there). */
    static long run(Jdbi jdbi, LogKeyring keys, StoredTiles tiles, long rehashed) {
        long tiled = jdbi.withHandle(StoredTiles::tiledSize);
        long head = jdbi.withHandle(h -> h.createQuery("select next_idx from audit_log_head").mapTo(Long.class).findOne().orElse(0L));
        if (head - tiled <= rehashed) {
            return 0;
        }
        LOG.info("custos: building the audit log's tiles for entries " + tiled + ".." + (head - 1)
                + " from the stored entries (once: the log has no tiles for them yet)");
        SignedCheckpoints checkpoints = new SignedCheckpoints(keys);
        Optional<SignedCheckpoints.Stored> latest = jdbi.withHandle(SignedCheckpoints::latest);
        boolean rootChecked = latest.isEmpty() || latest.get().size() < tiled;
        LogTree tree = LogTree.resume(tiles, tiled);
        long nextReport = tiled + PROGRESS_EVERY;
        while (true) {
            long from = tree.size();
            List<StoredLeaf> rows = jdbi.withHandle(h -> StoredLeaf.range(h, from, from + StartCheck.CHUNK));
            for (StoredLeaf row : rows) {
                StoredLeaf.integrate(tree, List.of(row));
                if (!rootChecked && tree.size() == latest.get().size()) {
                    jdbi.useHandle(h -> checkpoints.checkRoot(h, tree, checkpoints.open(latest.get())));
                    rootChecked = true;
                }
            }
            List<FullTile> done = tree.completedTiles();
            jdbi.useTransaction(h -> tiles.writeOrFail(h, done));
            tree.tilesStored(done.size());
            if (tree.size() >= nextReport) {
                LOG.info("custos: audit log tiles built for " + tree.size() + " of " + head + " entries");
                nextReport += PROGRESS_EVERY;
            }
            if (rows.size() < StartCheck.CHUNK) {
                break;
            }
        }
        LOG.info("custos: audit log tiles built for all " + tree.size() + " entries");
        return tree.size() - tiled;
    }
}
