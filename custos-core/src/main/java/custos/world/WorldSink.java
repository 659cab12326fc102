package custos.world;

import custos.consent.Consent;
import custos.partner.Agreement;
import custos.partner.Partner;
import custos.partner.PartnerClient;
import custos.people.CalendarEvent;
import custos.people.Contact;
import custos.people.Friendship;
import custos.people.Message;
import custos.people.MessageThread;
import custos.people.Person;
import custos.people.PrivacySettings;

/**
 * Receives the reference world record by record. The generator emits whole sections in this order, never
 * interleaved: partners, clients, agreements (with their purposes), people, friendships, threads, messages,
 * contacts, events, settings, consents; then {@link #end()}. A sink can therefore stream each section into
 * its own table without holding the world in memory.
 */
public interface WorldSink {
    default void partner(Partner partner) {}

    default void client(PartnerClient client) {}

    default void agreement(Agreement agreement) {}

    default void person(Person person) {}

    default void friendship(Friendship friendship) {}

    default void thread(MessageThread thread) {}

    default void message(Message message) {}

    default void contact(Contact contact) {}

    default void event(CalendarEvent event) {}

    default void settings(PrivacySettings settings) {}

    default void consent(Consent consent) {}

    default void end() {}
}
