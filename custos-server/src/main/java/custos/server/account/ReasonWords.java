package custos.server.account;

import custos.policy.Reason;

/** Each reason a decision gives, said to the person whose data it was about. */
final class ReasonWords {
    private ReasonWords() {}

    /** The reason in plain words; a code this version does not know is shown as it is. */
    static String of(String code) {
        Reason reason;
        try {
            reason = Reason.valueOf(code);
        } catch (IllegalArgumentException e) {
            return code;
        }
        return switch (reason) {
            case PARTNER_SUSPENDED -> "The partner is suspended or retired";
            case NO_AGREEMENT -> "The partner has no agreement for this purpose";
            case AGREEMENT_EXPIRED -> "The partner's agreement was not in force";
            case PURPOSE_RETIRED -> "The feature it was for has been shut down";
            case SCOPE_NOT_IN_PURPOSE -> "This purpose never allowed this data";
            case FRIENDS_DATA_NOT_IN_PURPOSE -> "This purpose never allowed friends' data";
            case NO_CONSENT -> "You never agreed to it";
            case CONSENT_EXPIRED -> "Your consent had run out";
            case CONSENT_REVOKED -> "You withdrew your consent";
            case SCOPE_NOT_CONSENTED -> "Your consent does not include this data";
            case FRIENDS_DATA_NOT_CONSENTED -> "Your consent does not include your friends' data";
            case SETTINGS_FORBID -> "Your privacy settings keep partners away from this data";
            case FRIEND_SETTINGS_FORBID -> "A friend's privacy settings keep it away";
            case NOT_FRIENDS -> "It asked about someone who is not your friend";
            case RATE_LIMITED -> "The partner asked too often";
            case INVALID_REQUEST -> "The request was malformed; nothing was read";
            case NO_SUCH_RESOURCE -> "What it asked for does not exist for you";
            case RECERTIFICATION_OVERDUE -> "The partner's agreement was not recertified in time";
            case PARTNER_DORMANT -> "No one had used the partner for 90 days, so its access lapsed";
        };
    }
}
