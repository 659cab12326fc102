package custos.world;

import custos.consent.Consent;
import custos.partner.Agreement;
import custos.partner.Partner;
import custos.partner.PartnerClient;
import custos.partner.Purpose;
import custos.people.CalendarEvent;
import custos.people.Contact;
import custos.people.Friendship;
import custos.people.Message;
import custos.people.MessageThread;
import custos.people.Person;
import custos.people.PrivacySettings;
import custos.data.DataCategory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * A SHA-256 over every streamed record in a canonical text form (sets sorted, maps in category order), so two
 * worlds are equal exactly when their digests are; proves the generator deterministic across JVM runs.
 */
public final class WorldDigest implements WorldSink {
    private final MessageDigest sha;
    private long records;

    public WorldDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    public String hex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) sha.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    public long records() {
        return records;
    }

    private void add(String line) {
        records++;
        sha.update(line.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
    }

    private static String sorted(Collection<?> items) {
        return items.stream().map(Object::toString).sorted().collect(Collectors.joining(",", "[", "]"));
    }

    @Override public void partner(Partner partner) { add(partner.toString()); }

    @Override public void client(PartnerClient client) { add(client.toString()); }

    @Override public void agreement(Agreement a) {
        add("Agreement[" + a.id() + "," + a.partnerId() + "," + a.version() + "," + a.validFrom() + "," + a.validUntil()
                + "," + a.nextRecertification() + "," + a.consentLifetime() + "," + a.dailyPeopleVolume() + "]");
        for (Purpose p : a.purposes()) {
            add("Purpose[" + p.id() + "," + p.agreementId() + "," + p.code() + "," + p.description() + "," + sorted(p.scopes())
                    + "," + p.friendsData() + "," + p.retiredAt() + "]");
        }
    }

    @Override public void person(Person person) { add(person.toString()); }

    @Override public void friendship(Friendship friendship) { add(friendship.toString()); }

    @Override public void thread(MessageThread thread) { add(thread.toString()); }

    @Override public void message(Message message) { add(message.toString()); }

    @Override public void contact(Contact contact) { add(contact.toString()); }

    @Override public void event(CalendarEvent event) { add(event.toString()); }

    @Override public void settings(PrivacySettings s) {
        StringBuilder line = new StringBuilder("Settings[" + s.personId() + "," + s.version() + "," + s.effectiveFrom());
        for (DataCategory c : DataCategory.values()) {
            line.append(',').append(c.code()).append('=').append(s.categories().get(c));
        }
        add(line.append(']').toString());
    }

    @Override public void consent(Consent c) {
        add("Consent[" + c.id() + "," + c.recordId() + "," + c.personId() + "," + c.partnerId() + "," + sorted(c.purposes())
                + "," + sorted(c.scopes()) + "," + c.friendsData() + "," + c.noticeVersion() + "," + c.method() + ","
                + c.givenAt() + "," + c.validUntil() + "," + c.withdrawnAt() + "," + c.version() + "," + c.history() + "]");
    }
}
