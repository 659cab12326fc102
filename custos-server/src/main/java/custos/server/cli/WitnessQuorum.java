package custos.server.cli;

import custos.audit.CosignatureVerifier;
import custos.audit.InvalidProofException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** {@code log verify --witness ... --min-witnesses K}: how many trusted witnesses must have cosigned the checkpoint. */
record WitnessQuorum(List<CosignatureVerifier> witnesses, int min) {
    static WitnessQuorum of(List<String> vkeys, Integer min) {
        List<CosignatureVerifier> parsed = new ArrayList<>();
        for (String vkey : vkeys) {
            try {
                CosignatureVerifier v = CosignatureVerifier.parse(vkey);
                if (parsed.stream().anyMatch(p -> p.name().equals(v.name()))) throw new CouldNotCheck("--witness " + v.name() + " is given twice");
                parsed.add(v);
            } catch (InvalidProofException e) {
                throw new CouldNotCheck("--witness " + vkey + " is not a witness verifier key (name+keyid+base64 of type 0x04): " + e.getMessage());
            }
        }
        int k = min == null ? parsed.size() : min;
        if (min != null && parsed.isEmpty()) throw new CouldNotCheck("--min-witnesses needs the witnesses' keys (--witness VKEY)");
        if (k < 1 && min != null || k > parsed.size()) {
            throw new CouldNotCheck("--min-witnesses must be between 1 and the " + parsed.size() + " --witness keys given, got " + k);
        }
        return new WitnessQuorum(List.copyOf(parsed), k);
    }

    /**
     * Null without witnesses; else a line naming who cosigned the checkpoint note. Fails with the count when fewer
     * than {@link #min} trusted witnesses validly cosigned it (a line by a trusted key that does not verify fails too).
     */
    String check(String note) throws InvalidProofException {
        if (witnesses.isEmpty()) return null;
        List<String> cosigned = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (CosignatureVerifier w : witnesses) {
            OptionalLong at = w.verify(note);
            if (at.isPresent()) cosigned.add(w.name() + " at " + Instant.ofEpochSecond(at.getAsLong()));
            else missing.add(w.name());
        }
        if (cosigned.size() < min) {
            throw new InvalidProofException("the checkpoint carries " + cosigned.size() + " valid witness cosignature(s), "
                    + min + " required (missing: " + String.join(", ", missing) + ")");
        }
        return "cosigned by " + cosigned.size() + " of " + witnesses.size() + " witnesses (" + min + " required): " + String.join(", ", cosigned);
    }
}
