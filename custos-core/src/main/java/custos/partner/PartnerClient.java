package custos.partner;

import java.util.List;

/** A partner's registered OAuth client; the secret is kept only as a hash. */
public record PartnerClient(String clientId, long partnerId, String secretHash, List<String> redirectUris) {
    public PartnerClient {
        redirectUris = List.copyOf(redirectUris);
    }
}
