package custos.policy;

import java.util.Map;

/** A decision in words, for support staff and auditors (`custos explain`). */
public final class Explanation {
    private static final Map<Reason, String> WORDS = Map.ofEntries(
            Map.entry(Reason.PARTNER_SUSPENDED, "the partner is suspended or retired"),
            Map.entry(Reason.NO_AGREEMENT, "no agreement of this partner serves this purpose"),
            Map.entry(Reason.AGREEMENT_EXPIRED, "the agreement serving this purpose is not in force"),
            Map.entry(Reason.RECERTIFICATION_OVERDUE,
                    "the agreement serving this purpose was not recertified in time and is suspended until it is"),
            Map.entry(Reason.PARTNER_DORMANT, "no person used the partner for 90 days: its access lapsed"),
            Map.entry(Reason.PURPOSE_RETIRED, "the purpose was retired: its feature was shut down"),
            Map.entry(Reason.SCOPE_NOT_IN_PURPOSE, "the purpose never allowed this scope"),
            Map.entry(Reason.FRIENDS_DATA_NOT_IN_PURPOSE, "the purpose does not allow reaching friends' data"),
            Map.entry(Reason.NO_CONSENT, "the person never consented to this partner for this purpose"),
            Map.entry(Reason.CONSENT_EXPIRED, "the person's consent has expired"),
            Map.entry(Reason.CONSENT_REVOKED, "the person withdrew their consent"),
            Map.entry(Reason.SCOPE_NOT_CONSENTED, "the person's consent does not include this scope"),
            Map.entry(Reason.FRIENDS_DATA_NOT_CONSENTED, "the person's consent does not include their friends' data"),
            Map.entry(Reason.SETTINGS_FORBID, "the person's privacy settings keep partners away from this data"),
            Map.entry(Reason.FRIEND_SETTINGS_FORBID, "the friend's privacy settings keep their friends' partners away"),
            Map.entry(Reason.NOT_FRIENDS, "the data belongs to someone who is not the person's friend"),
            Map.entry(Reason.RATE_LIMITED, "the partner or token is over its request rate"),
            Map.entry(Reason.INVALID_REQUEST, "the request was malformed and refused before anything was read"),
            Map.entry(Reason.NO_SUCH_RESOURCE, "what the request names is not there for this person"));

    private Explanation() {}

    public static String describe(Reason reason) {
        return WORDS.get(reason);
    }

    public static String render(DecisionRequest request, Decision decision) {
        StringBuilder out = new StringBuilder();
        out.append(decision.outcome()).append(": partner ").append(request.partnerId())
                .append(" asks ").append(request.scope()).append(" for purpose '").append(request.purpose()).append("'")
                .append(" on person ").append(request.subject());
        // Only the engine's NOT_FRIENDS knows whether the subject is a friend; the request alone does not.
        boolean notFriends = decision.reasons().contains(Reason.NOT_FRIENDS);
        if (request.friendsData()) {
            out.append(notFriends ? " (not a friend of person " : " (a friend of person ").append(request.actor()).append(")");
        }
        out.append(" at ").append(request.at()).append('\n');
        if (decision.allowed()) {
            out.append("  every check passed; fields released: ").append(String.join(", ", decision.fields())).append('\n');
        } else {
            for (Reason r : decision.reasons().stream().sorted().toList()) {
                out.append("  ").append(r.name()).append(": ").append(describe(r)).append('\n');
            }
        }
        DecisionBasis b = decision.basis();
        out.append("  made on: agreement ").append(b.agreementId()).append(" v").append(b.agreementVersion())
                .append(", consent ").append(b.consentId()).append(" v").append(b.consentVersion())
                .append(", settings v").append(b.actorSettingsVersion());
        if (request.friendsData()) {
            out.append(notFriends ? " (person " + request.subject() + "'s settings v" : " (friend's settings v")
                    .append(b.subjectSettingsVersion()).append(")");
        }
        return out.append('\n').toString();
    }
}
