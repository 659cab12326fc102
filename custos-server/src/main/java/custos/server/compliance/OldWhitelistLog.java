package custos.server.compliance;

import custos.compliance.LegacyAccess;
import custos.partner.PartnerEntry;
import custos.policy.PolicyView;
import custos.world.WhitelistTraffic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's legacy log: the old whitelist's traffic of the reference year, made from the demo's world on its first
 * start (the same file for the same world) and kept in the data folder for {@code custos exposure}.
 */
public final class OldWhitelistLog {
    public static final String FILE = "old-whitelist-2025.csv";
    /** Lines a day: as many calls as the replay makes, so the two years can be set side by side. */
    public static final int PER_DAY = 12;

    private OldWhitelistLog() {}

    /** Writes {@code dir/old-whitelist-2025.csv} unless it is there; returns its path. */
    public static Path ensure(Path dir, List<PartnerEntry> partners, long people, PolicyView view, long worldSeed)
            throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            List<LegacyAccess> year = WhitelistTraffic.year(partners, people, view::friendsOf, PER_DAY, worldSeed);
            LegacyLogFiles.writeCsv(year, file);
        }
        return file;
    }
}
