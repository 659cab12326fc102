package custos.server.oauth;

import custos.partner.PartnerClient;

/** A token a client presented for introspection or revocation, and that client, authenticated. */
record PresentedToken(PartnerClient client, String value) {}
