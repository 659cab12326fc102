package custos.server.store;

import custos.consent.Consent;
import custos.consent.ConsentStateChange;
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
import custos.data.Scope;
import custos.world.WorldSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Streams the reference world into the store with PostgreSQL COPY (text format) on one connection, inside the
 * caller's transaction. A section's rows go straight to its table; rows of child tables that arrive alongside
 * (purposes, thread participants, consent states) are spilled to temporary files and copied when the world ends.
 */
final class CopyWorldWriter implements WorldSink, AutoCloseable {
    private final Connection connection;
    private final CopyManager copy;
    private final List<Spill> spills = new ArrayList<>();
    private final Spill purposes;
    private final Spill purposeScopes;
    private final Spill participants;
    private final Spill consentStates;
    private String currentTable;
    private Writer current;
    private final StringBuilder row = new StringBuilder(256);
    private long rows;

    CopyWorldWriter(Connection connection) throws SQLException, IOException {
        this.connection = connection;
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
        purposes = spill("purposes (id, agreement_id, code, description, friends_data, retired_at)");
        purposeScopes = spill("purpose_scopes (purpose_id, scope)");
        participants = spill("thread_participants (thread_id, person_id)");
        consentStates = spill("consent_states (consent_id, seq, state, at)");
    }

    long rows() {
        return rows;
    }

    @Override
    public void partner(Partner p) {
        to("partners (id, slug, name, kind, status, registered_at)");
        field(p.id()).field(p.slug()).field(p.name()).field(p.kind().name()).field(p.status().name()).last(p.registeredAt());
    }

    @Override
    public void client(PartnerClient c) {
        to("partner_clients (client_id, partner_id, secret_hash, redirect_uris)");
        field(c.clientId()).field(c.partnerId()).field(c.secretHash()).last(array(c.redirectUris()));
    }

    @Override
    public void agreement(Agreement a) {
        to("agreements (id, partner_id, version, valid_from, valid_until, next_recertification, consent_lifetime_seconds, daily_people_volume)");
        field(a.id()).field(a.partnerId()).field(a.version()).field(a.validFrom()).field(a.validUntil())
                .field(a.nextRecertification() == null ? null : a.nextRecertification().toString())
                .field(a.consentLifetime().toSeconds()).last(a.dailyPeopleVolume());
        for (Purpose p : a.purposes()) {
            purposes.line(p.id() + "\t" + p.agreementId() + "\t" + escape(p.code()) + "\t" + escape(p.description()) + "\t"
                    + p.friendsData() + "\t" + (p.retiredAt() == null ? "\\N" : p.retiredAt().toString()));
            for (String scope : sortedScopes(p.scopes())) {
                purposeScopes.line(p.id() + "\t" + scope);
            }
        }
    }

    @Override
    public void person(Person p) {
        to("people (id, name, city, email, phone, joined_on)");
        field(p.id()).field(p.name()).field(p.city()).field(p.email()).field(p.phone()).last(p.joinedOn().toString());
    }

    @Override
    public void friendship(Friendship f) {
        to("friendships (person_a, person_b, since)");
        field(f.personA()).field(f.personB()).last(f.since());
    }

    @Override
    public void thread(MessageThread t) {
        to("message_threads (id, subject, started_at)");
        field(t.id()).field(t.subject()).last(t.startedAt());
        for (long person : t.participants()) {
            participants.line(t.id() + "\t" + person);
        }
    }

    @Override
    public void message(Message m) {
        to("messages (id, thread_id, sender_id, body, sent_at)");
        field(m.id()).field(m.threadId()).field(m.senderId()).field(m.body()).last(m.sentAt());
    }

    @Override
    public void contact(Contact c) {
        to("contacts (id, owner_id, name, email, phone)");
        field(c.id()).field(c.ownerId()).field(c.name()).field(c.email()).last(c.phone());
    }

    @Override
    public void event(CalendarEvent e) {
        to("calendar_events (id, owner_id, title, location, starts_at, ends_at)");
        field(e.id()).field(e.ownerId()).field(e.title()).field(e.location()).field(e.startsAt()).last(e.endsAt());
    }

    @Override
    public void settings(PrivacySettings s) {
        to("privacy_settings (person_id, version, effective_from, categories)");
        field(s.personId()).field(s.version()).field(s.effectiveFrom()).last(SettingsJson.write(s.categories()));
    }

    @Override
    public void consent(Consent c) {
        to("consents (id, record_id, person_id, partner_id, purposes, scopes, friends_data, notice_version, method, given_at, valid_until, withdrawn_at, version)");
        field(c.id()).field(c.recordId()).field(c.personId()).field(c.partnerId())
                .field(array(c.purposes().stream().sorted().toList())).field(array(sortedScopes(c.scopes())))
                .field(c.friendsData()).field(c.noticeVersion()).field(c.method().name()).field(c.givenAt())
                .field(c.validUntil()).field(c.withdrawnAt()).last(c.version());
        int seq = 1;
        for (ConsentStateChange h : c.history()) {
            consentStates.line(c.id() + "\t" + seq++ + "\t" + h.state().name() + "\t" + h.at());
        }
    }

    @Override
    public void end() {
        try {
            finishTable();
            for (Spill s : spills) {
                s.copyInto(copy);
            }
        } catch (IOException | SQLException e) {
            throw new StoreException("copying: " + Database.deepest(e), e);
        }
    }

    @Override
    public void close() {
        try {
            if (current != null) {
                current.close();
            }
        } catch (IOException ignored) {
            // The transaction is rolled back anyway.
        }
        for (Spill s : spills) {
            s.delete();
        }
    }

    private void to(String table) {
        if (table.equals(currentTable)) {
            return;
        }
        String failing = currentTable == null ? table : currentTable;
        try {
            finishTable();
            failing = table;
            current = new BufferedWriter(new OutputStreamWriter(
                    new PGCopyOutputStream(connection.unwrap(PGConnection.class), "COPY " + table + " FROM STDIN", 1 << 16),
                    StandardCharsets.UTF_8), 1 << 16);
            currentTable = table;
        } catch (IOException | SQLException e) {
            throw new StoreException("copying into " + failing.substring(0, failing.indexOf(' ')) + ": " + Database.deepest(e), e);
        }
    }

    private void finishTable() throws IOException {
        if (current != null) {
            current.close();
            current = null;
            currentTable = null;
        }
    }

    private CopyWorldWriter field(Object value) {
        append(value);
        row.append('\t');
        return this;
    }

    private void last(Object value) {
        append(value);
        row.append('\n');
        try {
            current.write(row.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        row.setLength(0);
        rows++;
    }

    private void append(Object value) {
        if (value == null) {
            row.append("\\N");
        } else if (value instanceof String s) {
            row.append(escape(s));
        } else if (value instanceof Instant i) {
            row.append(i);
        } else {
            row.append(value);
        }
    }

    private static List<String> sortedScopes(Collection<Scope> scopes) {
        return scopes.stream().map(Scope::toString).sorted().toList();
    }

    /** A PostgreSQL array literal of simple words (codes, scopes, URLs without quotes or braces). */
    private static String array(List<String> items) {
        return items.stream().map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    static String escape(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private Spill spill(String table) throws IOException {
        Spill s = new Spill(table, Files.createTempFile("custos-seed-", ".tsv"));
        spills.add(s);
        return s;
    }

    /** Rows for one child table, kept on disk until the parent rows are in. */
    private static final class Spill {
        private final String table;
        private final Path file;
        private final Writer out;

        Spill(String table, Path file) throws IOException {
            this.table = table;
            this.file = file;
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }

        void line(String line) {
            try {
                out.write(line);
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void copyInto(CopyManager copy) throws IOException, SQLException {
            out.close();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                copy.copyIn("COPY " + table + " FROM STDIN", in, 1 << 16);
            }
        }

        void delete() {
            try {
                out.close();
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A temp file left behind is harmless.
            }
        }
    }
}
