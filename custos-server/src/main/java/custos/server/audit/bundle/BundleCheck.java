package custos.server.audit.bundle;

import custos.audit.AccessEvent;
import custos.audit.Checkpoint;
import custos.audit.CosignatureVerifier;
import custos.audit.EventCodec;
import custos.audit.EventSealer;
import custos.audit.InvalidProofException;
import custos.audit.LogEntryKind;
import custos.audit.NoteVerifier;
import custos.audit.ProofVerifier;
import custos.audit.inputs.DecisionInput;
import custos.audit.inputs.InputCodec;
import custos.audit.inputs.Redecision;
import custos.audit.inputs.SampleIndexes;
import custos.server.compliance.Period;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks an auditor bundle with no store and no trust in the operator: the checkpoint's signature, every entry's
 * opening against its commitment and its commitment's inclusion proof to that checkpoint, a sample's draw from its
 * seed checkpoint, and then every access decision re-decided by the real engine from the bundle's inputs alone
 * ({@link Redecision}). Problems are listed one per line; {@link CouldNotCheck} when the bundle cannot be checked at
 * all (a key that does not parse, a checkpoint it did not sign).
 */
public final class BundleCheck {

    /** The bundle could not be checked: the reason, one line. */
    public static final class CouldNotCheck extends Exception {
        public CouldNotCheck(String message) {
            super(message);
        }
    }

    /** What the check found: every problem (empty when clean), notes, and the re-decision's counts. */
    public record Report(Checkpoint checkpoint, int entries, int accesses, int inputs, Redecision.Result redecided,
                         List<String> problems, List<String> notes, long redecideNanos) {
        public boolean clean() {
            return problems.isEmpty();
        }
    }

    private BundleCheck() {}

    public static Report check(AuditBundle bundle, String verifierKey, List<String> witnessKeys) throws CouldNotCheck {
        List<CosignatureVerifier> witnesses = new ArrayList<>();
        for (String w : witnessKeys) {
            try {
                witnesses.add(CosignatureVerifier.parse(w));
            } catch (InvalidProofException e) {
                throw new CouldNotCheck("--witness " + w + " is not a witness verifier key: " + e.getMessage());
            }
        }
        NoteVerifier key;
        try {
            key = NoteVerifier.parse(verifierKey);
        } catch (InvalidProofException e) {
            throw new CouldNotCheck("the verifier key does not parse: " + e.getMessage());
        }
        Checkpoint checkpoint = open(key, bundle.checkpoint(), "the bundle's checkpoint");
        Instant from;
        Instant to;
        try {
            from = Period.start("from", bundle.from());
            to = Period.end("to", bundle.to());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CouldNotCheck("the bundle's period does not parse: " + e.getMessage());
        }

        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // Every witness named must have cosigned the checkpoint (c2sp.org/tlog-cosignature): the operator cannot then
        // have shown this auditor a log it did not show the witnesses.
        for (CosignatureVerifier w : witnesses) {
            try {
                if (w.verify(bundle.checkpoint()).isEmpty()) {
                    problems.add("the checkpoint carries no cosignature by witness " + w.name());
                }
            } catch (InvalidProofException e) {
                problems.add("the checkpoint's cosignature by witness " + w.name() + " does not verify: " + e.getMessage());
            }
        }
        List<Redecision.IndexedInput> inputs = new ArrayList<>();
        List<Redecision.IndexedAccess> accesses = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (AuditBundle.Entry e : bundle.entries()) {
            if (!seen.add(e.index())) {
                problems.add("entry " + e.index() + ": shown twice");
                continue;
            }
            if (e.leaf() == null || e.salt() == null || e.opening() == null || e.proof() == null) {
                problems.add("entry " + e.index() + ": incomplete (leaf, salt, opening and proof are all required)");
                continue;
            }
            if (!MessageDigest.isEqual(EventSealer.commitment(e.salt(), e.opening()), e.leaf())) {
                problems.add("entry " + e.index() + ": the opening does not match its commitment");
                continue;
            }
            try {
                ProofVerifier.verifyInclusion(ProofVerifier.leafHash(e.leaf()), e.index(), checkpoint.size(), e.proof(),
                        checkpoint.root());
            } catch (InvalidProofException | RuntimeException ex) {
                problems.add("entry " + e.index() + ": its inclusion proof does not lead to the checkpoint's root ("
                        + ex.getMessage() + ")");
                continue;
            }
            try {
                switch (LogEntryKind.of(e.opening())) {
                    case ACCESS_EVENT -> {
                        AccessEvent a = EventCodec.decode(e.opening());
                        if (a.partnerId() != bundle.partnerId() || a.at().isBefore(from) || !a.at().isBefore(to)) {
                            problems.add("entry " + e.index() + ": an access outside the bundle's partner and period");
                        } else {
                            accesses.add(new Redecision.IndexedAccess(e.index(), a));
                        }
                    }
                    case DECISION_INPUT -> inputs.add(new Redecision.IndexedInput(e.index(), InputCodec.decode(e.opening())));
                    case OPERATOR_ACTION -> notes.add("entry " + e.index() + ": an operator action (not a decision input; not re-decided)");
                }
            } catch (IllegalArgumentException ex) {
                problems.add("entry " + e.index() + ": the opening does not decode: " + ex.getMessage());
            }
        }
        for (AuditBundle.Withheld w : bundle.withheld()) {
            notes.add("entry " + w.index() + " withheld: " + w.reason());
        }
        if (bundle.sample() != null) {
            checkSample(key, bundle, accesses, problems);
        }
        long started = System.nanoTime();
        // An erased person's entries are withheld (their key is destroyed, invariant 8): what rests on their inputs is
        // named in the notes, not taken for a missing input or an unjustified allow.
        Set<Long> erased = new HashSet<>();
        bundle.withheld().forEach(w -> {
            if (w.person() != null) erased.add(w.person());
        });
        Redecision.Result result = Redecision.run(inputs, accesses, erased);
        long took = System.nanoTime() - started;
        for (Redecision.Unjustified u : result.unjustified()) {
            problems.add("entry " + u.index() + ": an allow the inputs at policy sequence " + u.policySeq()
                    + " do not justify: " + String.join(", ", u.reasons()));
        }
        for (Redecision.Missing m : result.missing()) {
            problems.add("entry " + m.index() + ": missing input: " + m.what());
        }
        for (Redecision.Missing m : result.erased()) {
            notes.add("entry " + m.index() + ": not re-checked: " + m.what());
        }
        return new Report(checkpoint, bundle.entries().size(), accesses.size(), inputs.size(), result, List.copyOf(problems),
                List.copyOf(notes), took);
    }

    /** The sample's accesses must be exactly those the seed draws from the population (less any withheld). */
    private static void checkSample(NoteVerifier key, AuditBundle bundle, List<Redecision.IndexedAccess> accesses,
                                    List<String> problems) throws CouldNotCheck {
        AuditBundle.Sample s = bundle.sample();
        Checkpoint seedCheckpoint = open(key, s.seedCheckpoint(), "the sample's seed checkpoint");
        List<Long> population = s.population() == null ? List.of() : s.population();
        if (!new TreeSet<>(population).stream().toList().equals(population)) {
            throw new CouldNotCheck("the sample's population is not in ascending order without repeats");
        }
        Set<Long> drawn = new TreeSet<>(SampleIndexes.draw(SampleIndexes.seed(seedCheckpoint.root()), population, s.n()));
        Set<Long> shown = new TreeSet<>();
        accesses.forEach(a -> shown.add(a.index()));
        Set<Long> withheld = new HashSet<>();
        bundle.withheld().forEach(w -> withheld.add(w.index()));
        for (long i : drawn) {
            if (!shown.contains(i) && !withheld.contains(i)) {
                problems.add("entry " + i + ": drawn by the sample's seed but not in the bundle");
            }
        }
        for (long i : shown) {
            if (!drawn.contains(i)) {
                problems.add("entry " + i + ": in the bundle but not drawn by the sample's seed");
            }
        }
    }

    private static Checkpoint open(NoteVerifier key, String note, String what) throws CouldNotCheck {
        try {
            return Checkpoint.parse(key.verify(note));
        } catch (InvalidProofException | RuntimeException e) {
            throw new CouldNotCheck(what + " is not signed by this key: " + e.getMessage());
        }
    }
}
