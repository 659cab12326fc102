package custos.audit.inputs;

import custos.audit.LogEntryKind;
import custos.consent.Consent;
import custos.consent.ConsentMethod;
import custos.consent.ConsentState;
import custos.consent.ConsentStateChange;
import custos.partner.Agreement;
import custos.partner.Partner;
import custos.partner.PartnerEntry;
import custos.partner.PartnerKind;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.Visibility;
import custos.data.DataCategory;
import custos.data.Scope;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The canonical bytes of a {@link DecisionInput}, in the style of access events (docs/bundle-format.md, field by
 * field): big-endian integers, strings as a 4-byte length and standard UTF-8, lists after a 4-byte count and sets in
 * ascending order, times as int64 seconds and int32 nanoseconds, an absent value as a 0 byte (present: 1 then the
 * value), enums by name. The first byte is {@link LogEntryKind#PERSON_INPUTS_V1} or {@link LogEntryKind#PARTNER_INPUTS_V1}.
 */
public final class InputCodec {
    private static final int MAX_LIST = 1_000_000;

    private InputCodec() {}

    public static byte[] encode(DecisionInput input) {
        Out out = new Out();
        switch (input) {
            case DecisionInput.PersonInputs p -> {
                out.int8(LogEntryKind.PERSON_INPUTS_V1);
                header(out, p);
                out.int64(p.personId());
                out.int32(p.consents().size());
                p.consents().forEach(c -> consent(out, c));
                out.int32(p.settings().size());
                p.settings().forEach(s -> settings(out, s));
                out.int8(p.friends() == null ? 0 : 1);
                if (p.friends() != null) {
                    out.int32(p.friends().length);
                    for (long f : p.friends()) out.int64(f);
                }
            }
            case DecisionInput.PartnerInputs p -> {
                out.int8(LogEntryKind.PARTNER_INPUTS_V1);
                header(out, p);
                partner(out, p.entry());
            }
        }
        return out.toByteArray();
    }

    /** The input these bytes encode; anything malformed is an {@link IllegalArgumentException}. */
    public static DecisionInput decode(byte[] data) {
        if (data.length == 0) throw new IllegalArgumentException("empty input bytes");
        In in = new In(data);
        try {
            int code = in.int8();
            long seq = in.int64();
            Instant at = in.time();
            String change = in.utf();
            long previous = in.int64();
            DecisionInput input = switch (code) {
                case LogEntryKind.PERSON_INPUTS_V1 -> {
                    long person = in.int64();
                    List<Consent> consents = in.list(InputCodec::consent);
                    List<PrivacySettings> settings = in.list(i -> settings(i, person));
                    long[] friends = null;
                    if (in.flag()) {
                        friends = new long[in.count()];
                        for (int i = 0; i < friends.length; i++) friends[i] = in.int64();
                    }
                    yield new DecisionInput.PersonInputs(seq, at, change, previous, person, consents, settings, friends);
                }
                case LogEntryKind.PARTNER_INPUTS_V1 -> new DecisionInput.PartnerInputs(seq, at, change, previous, partner(in));
                default -> throw new IllegalArgumentException("not a decision input's bytes (code " + code + ")");
            };
            if (in.buf.hasRemaining()) throw new IllegalArgumentException("trailing bytes after decision input");
            return input;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("malformed decision input: truncated", e);
        }
    }

    private static void header(Out out, DecisionInput in) {
        out.int64(in.seq());
        out.time(in.at());
        out.utf(in.change());
        out.int64(in.previous());
    }

    private static void consent(Out out, Consent c) {
        out.int64(c.id());
        out.utf(c.recordId());
        out.int64(c.personId());
        out.int64(c.partnerId());
        out.sorted(c.purposes());
        out.sorted(c.scopes().stream().map(Scope::toString).toList());
        out.int8(c.friendsData() ? 1 : 0);
        out.optUtf(c.noticeVersion());
        out.utf(c.method().name());
        out.time(c.givenAt());
        out.optTime(c.validUntil());
        out.optTime(c.withdrawnAt());
        out.int32(c.version());
        out.int32(c.history().size());
        for (ConsentStateChange h : c.history()) {
            out.utf(h.state().name());
            out.time(h.at());
        }
    }

    private static Consent consent(In in) {
        long id = in.int64();
        String recordId = in.utf();
        long person = in.int64();
        long partner = in.int64();
        Set<String> purposes = Set.copyOf(in.list(In::utf));
        Set<Scope> scopes = Set.copyOf(in.list(i -> Scope.parse(i.utf())));
        boolean friends = in.flag();
        String notice = in.optUtf();
        ConsentMethod method = ConsentMethod.valueOf(in.utf());
        Instant given = in.time();
        Instant until = in.optTime();
        Instant withdrawn = in.optTime();
        int version = in.int32();
        List<ConsentStateChange> history = in.list(i -> new ConsentStateChange(ConsentState.valueOf(i.utf()), i.time()));
        return new Consent(id, recordId, person, partner, purposes, scopes, friends, notice, method, given, until, withdrawn,
                version, history);
    }

    private static void settings(Out out, PrivacySettings s) {
        out.int32(s.version());
        out.time(s.effectiveFrom());
        EnumMap<DataCategory, CategorySetting> sorted = new EnumMap<>(DataCategory.class);
        sorted.putAll(s.categories());
        // By name, not declaration order: a third party sorts strings.
        List<DataCategory> names = sorted.keySet().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
        out.int32(names.size());
        for (DataCategory c : names) {
            CategorySetting v = sorted.get(c);
            out.utf(c.name());
            out.utf(v.visibility().name());
            out.int8(v.partnersMayReach() ? 1 : 0);
            out.int8(v.friendsPartnersMayReach() ? 1 : 0);
        }
    }

    private static PrivacySettings settings(In in, long person) {
        int version = in.int32();
        Instant from = in.time();
        int n = in.count();
        Map<DataCategory, CategorySetting> categories = new EnumMap<>(DataCategory.class);
        for (int i = 0; i < n; i++) {
            DataCategory c = DataCategory.valueOf(in.utf());
            categories.put(c, new CategorySetting(Visibility.valueOf(in.utf()), in.flag(), in.flag()));
        }
        return new PrivacySettings(person, version, from, categories);
    }

    private static void partner(Out out, PartnerEntry e) {
        Partner p = e.partner();
        out.int64(p.id());
        out.utf(p.slug());
        out.utf(p.name());
        out.utf(p.kind().name());
        out.utf(p.status().name());
        out.optTime(p.registeredAt());
        out.int32(e.agreements().size());
        for (Agreement a : e.agreements()) {
            out.int64(a.id());
            out.int64(a.partnerId());
            out.int32(a.version());
            out.time(a.validFrom());
            out.optTime(a.validUntil());
            out.optUtf(a.nextRecertification() == null ? null : a.nextRecertification().toString());
            out.int8(a.consentLifetime() == null ? 0 : 1);
            if (a.consentLifetime() != null) {
                out.int64(a.consentLifetime().getSeconds());
                out.int32(a.consentLifetime().getNano());
            }
            out.int64(a.dailyPeopleVolume());
            out.int32(a.recertifyEveryDays());
            out.optTime(a.recertificationSuspendedAt());
            out.int32(a.purposes().size());
            for (Purpose u : a.purposes()) {
                out.int64(u.id());
                out.int64(u.agreementId());
                out.utf(u.code());
                out.optUtf(u.description());
                out.sorted(u.scopes().stream().map(Scope::toString).toList());
                out.int8(u.friendsData() ? 1 : 0);
                out.optTime(u.retiredAt());
            }
        }
    }

    private static PartnerEntry partner(In in) {
        Partner p = new Partner(in.int64(), in.utf(), in.utf(), PartnerKind.valueOf(in.utf()), PartnerStatus.valueOf(in.utf()),
                in.optTime());
        List<Agreement> agreements = in.list(i -> {
            long id = i.int64();
            long partner = i.int64();
            int version = i.int32();
            Instant from = i.time();
            Instant until = i.optTime();
            String recert = i.optUtf();
            Duration lifetime = i.flag() ? Duration.ofSeconds(i.int64(), i.int32()) : null;
            long volume = i.int64();
            int every = i.int32();
            Instant suspended = i.optTime();
            List<Purpose> purposes = i.list(j -> new Purpose(j.int64(), j.int64(), j.utf(), j.optUtf(),
                    Set.copyOf(j.list(k -> Scope.parse(k.utf()))), j.flag(), j.optTime()));
            return new Agreement(id, partner, version, from, until, recert == null ? null : LocalDate.parse(recert), lifetime,
                    volume, purposes, every, suspended);
        });
        return new PartnerEntry(p, agreements);
    }

    /** Big-endian writes into a growing buffer. */
    private static final class Out extends ByteArrayOutputStream {
        Out() {
            super(256);
        }

        void int8(int v) {
            write(v);
        }

        void int32(int v) {
            for (int shift = 24; shift >= 0; shift -= 8) write(v >>> shift);
        }

        void int64(long v) {
            for (int shift = 56; shift >= 0; shift -= 8) write((int) (v >>> shift));
        }

        void utf(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int32(b.length);
            writeBytes(b);
        }

        void optUtf(String s) {
            int8(s == null ? 0 : 1);
            if (s != null) utf(s);
        }

        void time(Instant t) {
            int64(t.getEpochSecond());
            int32(t.getNano());
        }

        void optTime(Instant t) {
            int8(t == null ? 0 : 1);
            if (t != null) time(t);
        }

        void sorted(Collection<String> strings) {
            TreeSet<String> sorted = new TreeSet<>(strings);
            int32(sorted.size());
            sorted.forEach(this::utf);
        }
    }

    /** Strict reads: lengths in bounds, standard UTF-8, flags 0 or 1. */
    private static final class In {
        final ByteBuffer buf;

        In(byte[] data) {
            buf = ByteBuffer.wrap(data);
        }

        int int8() {
            return buf.get() & 0xFF;
        }

        int int32() {
            return buf.getInt();
        }

        long int64() {
            return buf.getLong();
        }

        boolean flag() {
            int v = int8();
            if (v > 1) throw new IllegalArgumentException("malformed decision input: a flag of " + v);
            return v == 1;
        }

        int count() {
            long n = int32() & 0xFFFF_FFFFL;
            if (n > MAX_LIST || n > buf.remaining()) throw new IllegalArgumentException("malformed decision input: list of " + n);
            return (int) n;
        }

        String utf() {
            int n = count();
            try {
                ByteBuffer slice = buf.slice(buf.position(), n);
                String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
                buf.position(buf.position() + n);
                return s;
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("malformed decision input: a string is not UTF-8", e);
            }
        }

        String optUtf() {
            return flag() ? utf() : null;
        }

        Instant time() {
            long s = int64();
            int n = int32();
            if (n < 0 || n > 999_999_999) throw new IllegalArgumentException("malformed decision input: nanoseconds out of range");
            return Instant.ofEpochSecond(s, n);
        }

        Instant optTime() {
            return flag() ? time() : null;
        }

        <T> List<T> list(Function<In, T> item) {
            int n = count();
            List<T> out = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) out.add(item.apply(this));
            return out;
        }
    }
}
