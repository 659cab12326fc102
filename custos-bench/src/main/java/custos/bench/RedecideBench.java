package custos.bench;

import custos.audit.AccessEvent;
import custos.audit.Checkpoint;
import custos.audit.EventCodec;
import custos.audit.InputCitations;
import custos.audit.EventSealer;
import custos.audit.LogTree;
import custos.audit.NoteSigner;
import custos.audit.inputs.DecisionInput;
import custos.audit.inputs.InputCodec;
import custos.partner.PartnerEntry;
import custos.policy.Decision;
import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.policy.PolicyView;
import custos.policy.RateLimiter;
import custos.world.load.PolicyViewLoader;
import custos.world.load.RequestMix;
import custos.server.audit.bundle.AuditBundle;
import custos.server.audit.bundle.BundleCheck;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The auditor's cost (issue 15): a bundle of {@code entries} access entries of one reference world, decided by the live
 * engine and citing its snapshot inputs, with every input, opening and inclusion proof to one signed checkpoint; then
 * the time {@code custos audit check} takes on it: reading the file, every commitment and proof, and the re-decision.
 * Usage: {@code RedecideBench [people] [entries]} (defaults 10000 and 100000).
 */
public final class RedecideBench {
    public static void main(String[] args) throws Exception {
        int people = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Instant at = ReferenceWorld.AS_OF.minusSeconds(86_400);
        PolicyView view = PolicyViewLoader.load(new WorldSpec(people, 1));
        DecisionEngine engine = new DecisionEngine(view, RateLimiter.UNLIMITED);
        List<byte[]> openings = new ArrayList<>();
        for (long id = 1; id <= 100_000; id++) { // the reference world's partner ids are sparse
            PartnerEntry p = view.partner(id);
            if (p != null) {
                openings.add(InputCodec.encode(new DecisionInput.PartnerInputs(0, at, "snapshot", -1, p)));
            }
        }
        for (long p = 1; p <= people; p++) {
            openings.add(InputCodec.encode(new DecisionInput.PersonInputs(0, at, "snapshot", -1, p,
                    Arrays.asList(view.consentsOf(p)), Arrays.asList(view.settingsOf(p)), view.friendsOf(p))));
        }
        // One partner's entries, as a bundle is: the partner the mix allows most, so most entries are allows to justify.
        DecisionRequest[] mix = RequestMix.build(view, people, 1 << 20, at, 7);
        java.util.Map<Long, Integer> allowed = new java.util.HashMap<>();
        for (DecisionRequest r : mix) {
            if (engine.decide(r).allowed()) {
                allowed.merge(r.partnerId(), 1, Integer::sum);
            }
        }
        long partner = allowed.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
        int accesses = 0;
        long allows = 0;
        for (int i = 0; accesses < count; i = (i + 1) % mix.length) {
            DecisionRequest r = mix[i];
            if (r.partnerId() != partner) {
                continue;
            }
            Decision d = engine.decide(r);
            allows += d.allowed() ? 1 : 0;
            openings.add(EventCodec.encode(new AccessEvent(UUID.randomUUID(), r.at(), r.partnerId(), r.clientId(), r.purpose(),
                    r.scope().toString(), r.actor(), r.subject(), List.of(), d.outcome(), d.reasonCodes(), d.basis(), 0,
                    d.fields(), 0, InputCitations.of(view, r.partnerId(), r.actor(), r.subject(), List.of()))));
            accesses++;
        }
        SecureRandom random = new SecureRandom();
        LogTree tree = new LogTree();
        List<byte[]> salts = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        for (byte[] o : openings) {
            byte[] salt = new byte[32];
            random.nextBytes(salt);
            byte[] leaf = EventSealer.commitment(salt, o);
            salts.add(salt);
            leaves.add(leaf);
            tree.appendData(leaf);
        }
        long size = tree.size();
        NoteSigner signer = NoteSigner.generate("bench.custos/redecide");
        String note = signer.sign(new Checkpoint(signer.name(), size, tree.root(), List.of()).body());
        List<AuditBundle.Entry> entries = new ArrayList<>();
        for (int i = 0; i < openings.size(); i++) {
            entries.add(new AuditBundle.Entry(i, leaves.get(i), salts.get(i), openings.get(i), tree.inclusionProof(i, size)));
        }
        String slug = view.partner(partner).partner().slug();
        AuditBundle bundle = new AuditBundle(AuditBundle.FORMAT, note, partner, slug, "2000-01-01", "2100-01-01", null,
                entries, List.of());
        Path file = Files.createTempFile("custos-bundle", ".json");
        bundle.write(file);
        System.out.printf("bundle: %d access entries of %s (%d allowed), %d input entries, %.1f MB%n", accesses, slug, allows,
                openings.size() - accesses, Files.size(file) / 1e6);
        for (int run = 1; run <= 3; run++) {
            long started = System.nanoTime();
            BundleCheck.Report report = BundleCheck.check(AuditBundle.read(file), signer.verifierKey(), List.of());
            double total = (System.nanoTime() - started) / 1e9;
            System.out.printf("run %d: check %.2f s in all (read, %d commitments and proofs, re-decision), re-decision alone %.2f s;"
                            + " %d unjustified, %d missing%n", run, total, report.entries(), report.redecideNanos() / 1e9,
                    report.redecided().unjustified().size(), report.redecided().missing().size());
        }
        Files.delete(file);
    }
}
