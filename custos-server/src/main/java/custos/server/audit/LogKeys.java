package custos.server.audit;

import custos.audit.NoteSigner;
import org.jdbi.v3.core.Jdbi;

/** The log's signing key: created on first start, then loaded by every instance from the store. */
public final class LogKeys {
    private LogKeys() {}

    public static NoteSigner loadOrCreate(Jdbi jdbi, String name) {
        return jdbi.inTransaction(h -> {
            h.execute("lock table log_signing_key in exclusive mode");
            var existing = h.createQuery("select pkcs8, x509 from log_signing_key where name = :n").bind("n", name)
                    .map((rs, ctx) -> NoteSigner.restore(name, rs.getBytes(1), rs.getBytes(2))).findOne();
            if (existing.isPresent()) {
                return existing.get();
            }
            NoteSigner created = NoteSigner.generate(name);
            h.createUpdate("insert into log_signing_key (name, pkcs8, x509) values (:n, :p, :x)").bind("n", name)
                    .bind("p", created.privateKeyPkcs8()).bind("x", created.publicKeyX509()).execute();
            return created;
        });
    }
}
