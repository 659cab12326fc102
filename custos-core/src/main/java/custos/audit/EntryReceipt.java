package custos.audit;

import java.security.MessageDigest;

/**
 * A receipt for one log entry, checkable by anyone with the log's verifier key and nothing else: the entry's index,
 * its commitment ({@code leafData}), the inclusion proof up to a signed checkpoint (a C2SP tlog-proof, which carries
 * the checkpoint note), and, when the holder is the entry's subject, its opening ({@code salt} and the canonical
 * {@code eventBytes}, both null otherwise). {@code leafHash} and {@code checkpoint} are optional restatements
 * (null: absent), checked when present. The layout of a receipt file is in docs/receipts.md.
 */
public record EntryReceipt(String origin, long index, byte[] salt, byte[] eventBytes, byte[] leafData, byte[] leafHash,
                           String proof, String checkpoint) {

    /** What a verified receipt proves: the entry is in the tree the checkpoint signs; {@code event} is null without an opening. */
    public record Verified(Checkpoint checkpoint, AccessEvent event) {}

    public boolean opened() {
        return salt != null && eventBytes != null;
    }

    /**
     * Checks, in order: the proof is for this entry; the log's key signed the checkpoint, of this origin; the opening
     * recomputes the commitment and decodes; the leaf hash is the commitment's; the inclusion proof leads from it to
     * the signed root. Any failure is one {@link InvalidProofException} saying which check failed.
     */
    public Verified verify(NoteVerifier key) throws InvalidProofException {
        if (leafData == null || proof == null) throw new InvalidProofException("the receipt has no commitment or no proof");
        if ((salt == null) != (eventBytes == null)) throw new InvalidProofException("the opening needs both the salt and the event bytes");
        TlogProof p = TlogProof.parse(proof);
        if (p.index() != index) throw new InvalidProofException("the proof is for entry " + p.index() + ", the receipt for entry " + index);
        if (checkpoint != null && !checkpoint.equals(p.signedCheckpoint())) {
            throw new InvalidProofException("the receipt's checkpoint is not the one its proof leads to");
        }
        Checkpoint cp;
        try {
            cp = Checkpoint.parse(key.verify(p.signedCheckpoint()));
        } catch (InvalidProofException e) {
            throw new InvalidProofException("the checkpoint's signature does not verify with this key: " + e.getMessage());
        }
        if (!cp.origin().equals(origin)) {
            throw new InvalidProofException("the checkpoint is of log " + cp.origin() + ", the receipt names log " + origin);
        }
        AccessEvent event = null;
        if (opened()) {
            if (!MessageDigest.isEqual(EventSealer.commitment(salt, eventBytes), leafData)) {
                throw new InvalidProofException("the opening (salt and event bytes) does not recompute the entry's commitment");
            }
            try {
                event = EventCodec.decode(eventBytes);
            } catch (IllegalArgumentException e) {
                throw new InvalidProofException("the event bytes do not decode: " + e.getMessage());
            }
        }
        byte[] hash = ProofVerifier.leafHash(leafData);
        if (leafHash != null && !MessageDigest.isEqual(hash, leafHash)) {
            throw new InvalidProofException("the leaf hash is not the RFC 6962 hash of the entry's commitment");
        }
        try {
            ProofVerifier.verifyInclusion(hash, index, cp.size(), p.path(), cp.root());
        } catch (InvalidProofException e) {
            throw new InvalidProofException("the inclusion proof does not lead to the signed root: " + e.getMessage());
        }
        return new Verified(cp, event);
    }
}
