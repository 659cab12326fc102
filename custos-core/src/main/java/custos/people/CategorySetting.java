package custos.people;

/**
 * A person's setting for one data category: who may see it, whether partners may reach it at all
 * (on the person's own consent), and whether their friends' partners may reach it (on a friend's consent).
 */
public record CategorySetting(Visibility visibility, boolean partnersMayReach, boolean friendsPartnersMayReach) {

    /** Partners acting for a friend can only ever see what the friend could see. */
    public boolean permitsFriendsPartners() {
        return friendsPartnersMayReach && partnersMayReach && visibility != Visibility.ONLY_ME;
    }
}
