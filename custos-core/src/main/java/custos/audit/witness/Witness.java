package custos.audit.witness;

import custos.audit.Checkpoint;
import custos.audit.CosignatureSigner;
import custos.audit.InvalidProofException;
import custos.audit.NoteVerifier;
import custos.audit.ProofVerifier;
import custos.audit.SignedNote;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A C2SP tlog-witness: for each log it trusts (by origin and verifier key) it remembers the latest checkpoint it
 * cosigned, and cosigns a new one only when the consistency proof shows that it extends that one. The check of the
 * old size and the durable update happen under one lock, so two racing requests cannot roll the witness back.
 */
public final class Witness {
    /** The HTTP answer to one request: status, content type and body. */
    public record Response(int status, String contentType, String body) {
        static Response of(int status, String message) {
            return new Response(status, "text/plain; charset=utf-8", message + "\n");
        }
    }

    private static final byte[] EMPTY_ROOT = emptyRoot();
    private final CosignatureSigner key;
    private final Map<String, List<NoteVerifier>> logs;
    private final WitnessState state;
    private final LongSupplier seconds;

    /** {@code logs}: the trusted log keys; each key's name is the origin of the log it signs. */
    public Witness(CosignatureSigner key, List<NoteVerifier> logs, WitnessState state, LongSupplier seconds) {
        this.key = key;
        this.state = state;
        this.seconds = seconds;
        Map<String, List<NoteVerifier>> byOrigin = new LinkedHashMap<>();
        for (NoteVerifier v : logs) byOrigin.computeIfAbsent(v.name(), o -> new ArrayList<>()).add(v);
        this.logs = Map.copyOf(byOrigin);
    }

    public CosignatureSigner key() {
        return key;
    }

    /** Handles one {@code add-checkpoint} body with the status codes tlog-witness prescribes. */
    public synchronized Response add(String body) {
        AddCheckpoint request;
        SignedNote note;
        Checkpoint checkpoint;
        try {
            request = AddCheckpoint.parse(body);
            note = SignedNote.parse(request.checkpoint());
            checkpoint = Checkpoint.parse(note.text());
        } catch (InvalidProofException e) {
            return Response.of(400, "malformed request: " + e.getMessage());
        }
        List<NoteVerifier> trusted = logs.get(checkpoint.origin());
        if (trusted == null) return Response.of(404, "unknown log origin " + checkpoint.origin());
        List<SignedNote.Signature> logSignatures = new ArrayList<>();
        try {
            for (NoteVerifier v : trusted) {
                if (v.verifyIfSigned(note).isPresent()) note.signatures().stream().filter(v::isMine).forEach(logSignatures::add);
            }
        } catch (InvalidProofException e) {
            return Response.of(403, e.getMessage());
        }
        if (logSignatures.isEmpty()) return Response.of(403, "the checkpoint carries no signature by a key trusted for " + checkpoint.origin());
        if (request.oldSize() > checkpoint.size()) {
            return Response.of(400, "old size " + request.oldSize() + " is larger than the checkpoint size " + checkpoint.size());
        }
        Optional<Checkpoint> latest = latest(checkpoint.origin());
        long known = latest.map(Checkpoint::size).orElse(0L);
        if (request.oldSize() != known) return new Response(409, "text/x.tlog.size", known + "\n");
        if (checkpoint.size() == 0 && !MessageDigest.isEqual(checkpoint.root(), EMPTY_ROOT)) {
            return Response.of(422, "a checkpoint of size 0 must have the empty tree's root");
        }
        try {
            if (request.oldSize() == 0) {
                if (!request.proof().isEmpty()) return Response.of(422, "from old size 0 the consistency proof must be empty");
            } else {
                ProofVerifier.verifyConsistency(request.oldSize(), checkpoint.size(), request.proof(), latest.orElseThrow().root(), checkpoint.root());
            }
        } catch (InvalidProofException e) {
            return Response.of(422, "not consistent with the checkpoint of size " + known + " cosigned before: " + e.getMessage());
        }
        String cosignature = key.cosign(checkpoint.body(), seconds.getAsLong());
        StringBuilder stored = new StringBuilder(note.text()).append('\n');
        logSignatures.forEach(s -> stored.append(s.line()));
        stored.append(cosignature);
        try {
            state.store(checkpoint.origin(), stored.toString());
        } catch (IOException e) {
            return Response.of(500, "could not store the checkpoint durably; nothing was cosigned");
        }
        return new Response(200, "text/plain; charset=utf-8", cosignature);
    }

    /** The monitoring endpoint's answer: the latest cosigned checkpoint of the log whose origin hashes to this. */
    public synchronized Optional<String> checkpoint(String originHash) {
        for (String origin : logs.keySet()) {
            if (WitnessState.originHash(origin).equals(originHash)) {
                try {
                    return state.latest(origin);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Checkpoint> latest(String origin) {
        try {
            Optional<String> note = state.latest(origin);
            if (note.isEmpty()) return Optional.empty();
            return Optional.of(Checkpoint.parse(SignedNote.parse(note.get()).text()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the witness state of " + origin, e);
        } catch (InvalidProofException e) {
            throw new IllegalStateException("the witness state of " + origin + " is not a checkpoint: " + e.getMessage(), e);
        }
    }

    private static byte[] emptyRoot() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(new byte[0]);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has SHA-256", e);
        }
    }
}
