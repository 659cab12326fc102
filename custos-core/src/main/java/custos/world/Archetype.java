package custos.world;

import custos.partner.PartnerKind;

/**
 * The six partners of the articles, present in every reference world with the same slug, id, purposes and dates.
 * Their slugs are stable: the API, the demo and the replay refer to them.
 * <ul>
 * <li>{@code tunewave} (music, id 1): agreement 2010-06-01, open; {@code share-in-messages} asks
 *     {@code messages:read|write|delete}.</li>
 * <li>{@code northmere} (bank, id 2): agreement 2012-09-01, open; {@code pay-friends-in-messages} asks
 *     {@code messages:read|write|delete} and {@code friends:read}.</li>
 * <li>{@code reelhouse} (video, id 3): agreement signed 2013-03-01 and never ended; its
 *     {@code recommend-to-friends} purpose (messages and friends) was retired on 2015-07-01; {@code sign-in} lives on.</li>
 * <li>{@code orbitel} (phone maker, id 4): agreement 2010-02-01, open; {@code device-integration} asks
 *     contacts, calendar, profile, profile.contact and friends, with friends' data.</li>
 * <li>{@code cartwell} (retailer, id 5): agreement 2011-05-01, open; {@code friend-contact-sync} asks
 *     {@code profile:read}, {@code profile.contact:read}, {@code friends:read}, with friends' data.</li>
 * <li>{@code seekfar} (search engine, id 6): agreement 2010-11-01, open; {@code social-search} asks
 *     {@code profile:read} and {@code friends:read}, with friends' data.</li>
 * </ul>
 */
public enum Archetype {
    TUNEWAVE("tunewave", "Tunewave", PartnerKind.MUSIC),
    NORTHMERE("northmere", "Northmere Bank", PartnerKind.BANK),
    REELHOUSE("reelhouse", "Reelhouse", PartnerKind.VIDEO),
    ORBITEL("orbitel", "Orbitel Mobile", PartnerKind.DEVICE_MAKER),
    CARTWELL("cartwell", "Cartwell", PartnerKind.RETAILER),
    SEEKFAR("seekfar", "Seekfar Search", PartnerKind.SEARCH_ENGINE);

    private final String slug;
    private final String displayName;
    private final PartnerKind kind;

    Archetype(String slug, String displayName, PartnerKind kind) {
        this.slug = slug;
        this.displayName = displayName;
        this.kind = kind;
    }

    public String slug() {
        return slug;
    }

    public String displayName() {
        return displayName;
    }

    public PartnerKind kind() {
        return kind;
    }

    /** The partner id this archetype has in every reference world. */
    public long partnerId() {
        return ordinal() + 1L;
    }
}
