package custos.server.witness;

import custos.audit.CosignatureVerifier;
import custos.audit.InvalidProofException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** A witness the gateway asks for cosignatures: its submission prefix URL and its cosigner verifier key. */
public record WitnessPeer(URI url, CosignatureVerifier verifier) {
    /** The vkey that names this witness in the store and in metrics. */
    public String name() {
        return verifier.name();
    }

    @Override
    public String toString() {
        return url + " " + verifier.verifierKey();
    }

    /**
     * Parses the {@code log.witnesses} setting: comma-separated {@code URL VKEY} pairs, e.g.
     * {@code http://w1.example:9001 w1.example+1a2b3c4d+BASE64}; empty for none.
     */
    public static List<WitnessPeer> parseList(String text) {
        List<WitnessPeer> peers = new ArrayList<>();
        for (String item : text.split(",")) {
            if (item.isBlank()) continue;
            String[] parts = item.strip().split("\\s+");
            if (parts.length != 2) throw new IllegalArgumentException("each witness is \"URL VKEY\", got \"" + item.strip() + "\"");
            URI url;
            try {
                url = new URI(parts[0].replaceAll("/+$", ""));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: " + parts[0]);
            }
            if (url.getScheme() == null || !url.getScheme().matches("https?") || url.getHost() == null) {
                throw new IllegalArgumentException("a witness URL is http(s)://host[:port][/prefix], got " + parts[0]);
            }
            CosignatureVerifier verifier;
            try {
                verifier = CosignatureVerifier.parse(parts[1]);
            } catch (InvalidProofException e) {
                throw new IllegalArgumentException("not a witness (cosignature/v1 Ed25519) verifier key: " + parts[1] + " (" + e.getMessage() + ")");
            }
            if (peers.stream().anyMatch(p -> p.name().equals(verifier.name()))) {
                throw new IllegalArgumentException("witness " + verifier.name() + " is listed twice");
            }
            peers.add(new WitnessPeer(url, verifier));
        }
        return List.copyOf(peers);
    }
}
