package custos.server.console;

import custos.audit.EventSealer;
import custos.audit.LogEntryKind;
import custos.audit.OperatorAction;
import custos.audit.OperatorActionCodec;
import custos.audit.ProofVerifier;
import custos.server.http.Json;
import java.security.SecureRandom;
import java.sql.Timestamp;
import org.jdbi.v3.core.Handle;

/**
 * Appends operator actions to the verifiable log, in the transaction that makes the change: the change and its entry
 * commit together or not at all. The entry takes the next index from the log's head row as the audit writers' batches
 * do (so the tree stays dense and every instance's integrator reads it in order), its leaf is the salted commitment
 * to the action's canonical bytes, and the bytes themselves are kept in the clear beside it: an action holds no
 * personal data.
 */
final class OperatorLog {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] NO_NONCE = new byte[0];

    private OperatorLog() {}

    /**
     * Appends {@code action} within {@code h}'s transaction and returns its log index. Call it last in the
     * transaction: the head row stays locked until the commit, and audit writers wait for it.
     */
    static long append(Handle h, OperatorAction action) {
        byte[] opening = OperatorActionCodec.encode(action);
        byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        byte[] leaf = EventSealer.commitment(salt, opening);
        h.execute("select set_config('synchronous_commit', 'on', true)");
        long idx = h.createQuery("update audit_log_head set next_idx = next_idx + 1 returning next_idx - 1")
                .mapTo(Long.class).one();
        Timestamp at = Timestamp.from(action.at());
        h.createUpdate("""
                        insert into access_events (idx, leaf_data, leaf_hash, salt, nonce, ciphertext, subject_person, partner_id,
                                                   outcome, at, entry_kind)
                        values (:idx, :leaf, :hash, :salt, :nonce, null, null, :partner, null, :at, :kind)""")
                .bind("idx", idx).bind("leaf", leaf).bind("hash", ProofVerifier.leafHash(leaf)).bind("salt", salt)
                .bind("nonce", NO_NONCE).bind("partner", action.partnerId()).bind("at", at)
                .bind("kind", (short) LogEntryKind.OPERATOR_ACTION_V1).execute();
        h.createUpdate("""
                        insert into operator_actions (idx, at, actor, action, partner_id, target, before, after, opening)
                        values (:idx, :at, :actor, :action, :partner, :target, cast(:before as jsonb), cast(:after as jsonb), :opening)""")
                .bind("idx", idx).bind("at", at).bind("actor", action.actor()).bind("action", action.action())
                .bind("partner", action.partnerId()).bind("target", action.target())
                .bind("before", new String(Json.bytes(action.before()), java.nio.charset.StandardCharsets.UTF_8))
                .bind("after", new String(Json.bytes(action.after()), java.nio.charset.StandardCharsets.UTF_8))
                .bind("opening", opening).execute();
        return idx;
    }
}
