package custos.server.audit;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import custos.audit.FullTile;
import custos.audit.TileStore;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.PGConnection;

/**
 * The log's full tiles in the store ({@code log_tiles}), read through a bounded cache of {@link #CACHE_BYTES} (and their
 * interior nodes through one of {@link #INTERIOR_CACHE_BYTES}): what
 * the tree reads proofs, roots and served tiles from once its tiles are full. Written once each, in the order the
 * integrator completes them; a tile another instance already stored must be the same, or the log has forked.
 */
final class StoredTiles implements TileStore {
    /** 4,096 tiles: every upper tile of a log of a billion entries, and the newest million entries' leaf tiles. */
    static final long CACHE_BYTES = 32L << 20;
    /** Interior nodes of 1,024 tiles: every tile a proof's path crosses above the leaf tiles, and the hot leaf tiles. */
    static final long INTERIOR_CACHE_BYTES = 8L << 20;

    private record Key(int level, long index) {}

    private final Jdbi jdbi;
    private final LoadingCache<Key, byte[]> cache;
    private final LoadingCache<Key, byte[]> interiors;
    private final LongAdder tilesRead = new LongAdder();
    private final LongAdder rootsRead = new LongAdder();

    StoredTiles(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.cache = Caffeine.newBuilder().maximumWeight(CACHE_BYTES).weigher((Key k, byte[] v) -> v.length).build(this::load);
        this.interiors = Caffeine.newBuilder().maximumWeight(INTERIOR_CACHE_BYTES).weigher((Key k, byte[] v) -> v.length)
                .build(k -> FullTile.interior(tile(k.level(), k.index())));
    }

    /** Hashed once per tile while cached: a proof then reads each node between tile levels instead of hashing it. */
    @Override
    public byte[] interior(int level, long index) {
        return interiors.get(new Key(level, index));
    }

    @Override
    public byte[] tile(int level, long index) {
        return cache.get(new Key(level, index));
    }

    private byte[] load(Key key) {
        tilesRead.increment();
        return jdbi.withHandle(h -> read(h, key.level(), key.index())).orElseThrow(() -> new LogIntegrityException("stored tiles",
                "tile " + key.level() + "/" + key.index() + " of the log's tree is missing from the store (log_tiles)"));
    }

    private static Optional<byte[]> read(Handle h, int level, long index) {
        return h.createQuery("select hashes from log_tiles where level = :l and idx = :i").bind("l", level).bind("i", index)
                .mapTo(byte[].class).findOne();
    }

    @Override
    public List<byte[]> roots(int level, long from, long to) {
        List<byte[]> roots = jdbi.withHandle(h -> h.createQuery("select root from log_tiles where level = :l and idx >= :a and idx < :b order by idx")
                .bind("l", level).bind("a", from).bind("b", to).mapTo(byte[].class).list());
        rootsRead.add(roots.size());
        if (roots.size() != to - from) {
            throw new LogIntegrityException("stored tiles", "tiles " + level + "/" + from + ".." + (to - 1)
                    + " of the log's tree are not all in the store (log_tiles holds " + roots.size() + " of them)");
        }
        return roots;
    }

    /** Leaves covered by the stored full tiles of level 0 (they are stored in order, so the highest index tells). */
    static long tiledSize(Handle h) {
        return h.createQuery("select coalesce(max(idx) + 1, 0) from log_tiles where level = 0").mapTo(Long.class).one() * FullTile.WIDTH;
    }

    /**
     * Stores tiles the tree completed, in order; one another instance stored first must hold the same hashes. Returns
     * the first that differs (nothing is written after it), or empty when all are stored.
     *
     * <p>Two statements for the whole list, not two per tile: the integrator stores a tile every 256 entries, and at
     * tens of thousands of appends a second the per-statement cost of a read and an insert per tile showed in the
     * audit benchmark's profile (BENCHMARKS.md).
     */
    Optional<FullTile> write(Handle h, List<FullTile> tiles) {
        if (tiles.isEmpty()) {
            return Optional.empty();
        }
        // Read first: a restart's re-hashed tiles are mostly stored already, and a conflicting insert would write the
        // 8 KB out of line before it found the conflict.
        Map<Key, byte[]> stored = readAll(h, tiles);
        List<FullTile> missing = new ArrayList<>();
        FullTile differing = null;
        for (FullTile t : tiles) {
            byte[] s = stored.get(new Key(t.level(), t.index()));
            if (s == null) {
                missing.add(t);
            } else if (!MessageDigest.isEqual(s, t.hashes())) {
                differing = t; // nothing after it is written
                break;
            }
        }
        Set<Key> inserted = insertAll(h, missing);
        List<FullTile> raced = missing.stream().filter(t -> !inserted.contains(new Key(t.level(), t.index()))).toList();
        if (!raced.isEmpty()) {
            Map<Key, byte[]> theirs = readAll(h, raced); // another instance stored them meanwhile
            for (FullTile t : raced) {
                byte[] s = theirs.get(new Key(t.level(), t.index()));
                if (s != null && !MessageDigest.isEqual(s, t.hashes())) {
                    return Optional.of(t);
                }
            }
        }
        for (FullTile t : tiles) {
            if (t == differing) {
                return Optional.of(t);
            }
            cache.put(new Key(t.level(), t.index()), t.hashes());
        }
        return Optional.empty();
    }

    /** The stored hashes of these tiles, by tile; a tile not stored is absent. */
    private static Map<Key, byte[]> readAll(Handle h, List<FullTile> tiles) {
        try {
            Connection c = h.getConnection();
            PGConnection pg = c.unwrap(PGConnection.class);
            Map<Key, byte[]> stored = new HashMap<>();
            try (PreparedStatement read = c.prepareStatement("select t.level, t.idx, t.hashes from log_tiles t"
                    + " join unnest(?::int4[], ?::int8[]) as k(level, idx) on t.level = k.level and t.idx = k.idx")) {
                read.setArray(1, pg.createArrayOf("int4", tiles.stream().mapToInt(FullTile::level).toArray()));
                read.setArray(2, pg.createArrayOf("int8", tiles.stream().mapToLong(FullTile::index).toArray()));
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        stored.put(new Key(rs.getInt(1), rs.getLong(2)), rs.getBytes(3));
                    }
                }
            }
            return stored;
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** Inserts the tiles in one statement; returns those it inserted (the others were stored meanwhile). */
    private static Set<Key> insertAll(Handle h, List<FullTile> tiles) {
        Set<Key> inserted = new HashSet<>();
        if (tiles.isEmpty()) {
            return inserted;
        }
        try {
            Connection c = h.getConnection();
            PGConnection pg = c.unwrap(PGConnection.class);
            try (PreparedStatement insert = c.prepareStatement("insert into log_tiles (level, idx, hashes, root)"
                    + " select * from unnest(?::int2[], ?::int8[], ?::bytea[], ?::bytea[]) on conflict do nothing returning level, idx")) {
                insert.setArray(1, pg.createArrayOf("int4", tiles.stream().mapToInt(FullTile::level).toArray()));
                insert.setArray(2, pg.createArrayOf("int8", tiles.stream().mapToLong(FullTile::index).toArray()));
                insert.setArray(3, pg.createArrayOf("bytea", tiles.stream().map(FullTile::hashes).toArray(byte[][]::new)));
                insert.setArray(4, pg.createArrayOf("bytea", tiles.stream().map(FullTile::root).toArray(byte[][]::new)));
                try (ResultSet rs = insert.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(new Key(rs.getInt(1), rs.getLong(2)));
                    }
                }
            }
            return inserted;
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** Stores the tiles, failing the log if one differs from what is already stored. */
    void writeOrFail(Handle h, List<FullTile> tiles) {
        write(h, tiles).ifPresent(t -> {
            throw differs(t);
        });
    }

    static LogIntegrityException differs(FullTile t) {
        long perLeaf = 1L << (8 * t.level());
        long first = t.index() * FullTile.WIDTH * perLeaf;
        return new LogIntegrityException("stored tiles", "the stored tile " + t.level() + "/" + t.index() + " differs from the one the entries "
                + first + ".." + (first + FullTile.WIDTH * perLeaf - 1) + " hash to (the tile or an entry was changed, or another instance integrated another log)");
    }

    /** Full tiles read from the store (cache misses) and tile roots read, since this was made. */
    long tilesRead() {
        return tilesRead.sum();
    }

    long rootsRead() {
        return rootsRead.sum();
    }

    /** Bytes the two caches hold now (at most {@link #CACHE_BYTES} and {@link #INTERIOR_CACHE_BYTES}). */
    long cachedBytes() {
        cache.cleanUp();
        interiors.cleanUp();
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L)
                + interiors.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
