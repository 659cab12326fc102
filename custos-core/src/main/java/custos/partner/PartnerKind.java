package custos.partner;

/** The line of business of a partner, as the inventory reports it. */
public enum PartnerKind { APP, DEVICE_MAKER, BANK, RETAILER, SEARCH_ENGINE, MEDIA, MUSIC, VIDEO, AUTOMAKER, GAME }
