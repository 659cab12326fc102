package custos.policy;

/**
 * Why a request was denied. The codes are stable: partners, the audit log and reports match on them, and the log
 * keeps them as names, so a new code is only ever appended (a {@link custos.policy.internal.ReasonSet} holds up to
 * 32 of them as bits).
 */
public enum Reason {
    /** The partner is suspended or retired: nothing is allowed for it. */
    PARTNER_SUSPENDED,
    /** No agreement of this partner serves the purpose (or the partner is unknown, or its token carries no purpose). */
    NO_AGREEMENT,
    /** The agreement serving the purpose is not in force at the time of the request. */
    AGREEMENT_EXPIRED,
    /** The purpose was retired: the feature it served was shut down. */
    PURPOSE_RETIRED,
    /** The purpose never allowed this scope. */
    SCOPE_NOT_IN_PURPOSE,
    /** The purpose does not allow reaching friends' data. */
    FRIENDS_DATA_NOT_IN_PURPOSE,
    /** The person never consented to this partner for this purpose. */
    NO_CONSENT,
    /** The person's consent ran out. */
    CONSENT_EXPIRED,
    /** The person withdrew the consent. */
    CONSENT_REVOKED,
    /** The person's live consent does not include this scope. */
    SCOPE_NOT_CONSENTED,
    /** The person's live consent does not include their friends' data. */
    FRIENDS_DATA_NOT_CONSENTED,
    /** The person's privacy settings keep partners away from this data. */
    SETTINGS_FORBID,
    /** The friend's own privacy settings keep their friends' partners away from this data. */
    FRIEND_SETTINGS_FORBID,
    /** The person whose data is asked for is neither the consenting person nor one of their friends. */
    NOT_FRIENDS,
    /** The partner or the token is over its request rate. */
    RATE_LIMITED,
    /**
     * The request itself is malformed (a bad id, cursor, limit or body): it was refused before anything was decided
     * on the data, and nothing was read or written.
     */
    INVALID_REQUEST,
    /**
     * The access would have been allowed, but what it names is not there for this person: a thread they are not in,
     * a message that is not theirs or does not exist, a recipient who is not their friend.
     */
    NO_SUCH_RESOURCE,
    /**
     * The agreement serving the purpose was not recertified in time: its recertification fell due, the grace period
     * after the notice ran out, and it was suspended until an operator recertifies it.
     */
    RECERTIFICATION_OVERDUE,
    /** No person used the partner for 90 days: its access lapsed until an operator reinstates it. */
    PARTNER_DORMANT
}
