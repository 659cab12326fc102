package custos.partner;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

class ClientSecretsProperties {

    @Property(tries = 20)
    void a_secret_verifies_against_its_own_bcrypt_hash_only(
            @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 40) String secret,
            @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 40) String other) {
        String hash = ClientSecrets.hash(secret);
        assertThat(hash).startsWith("$2y$0" + ClientSecrets.COST + "$");
        assertThat(ClientSecrets.needsRehash(hash)).isFalse();
        assertThat(ClientSecrets.verifies(secret, hash)).isTrue();
        assertThat(ClientSecrets.verifies(other, hash)).isEqualTo(other.equals(secret));
    }

    @Property(tries = 5)
    void the_same_secret_hashes_differently_each_time(@ForAll @AlphaChars @StringLength(min = 1, max = 20) String secret) {
        assertThat(ClientSecrets.hash(secret)).isNotEqualTo(ClientSecrets.hash(secret));
    }

    @Property(tries = 20)
    void a_malformed_hash_never_verifies(@ForAll String garbage) {
        assertThat(ClientSecrets.verifies("secret", garbage)).isFalse();
        assertThat(ClientSecrets.verifies("secret", "pbkdf2-sha256$x$y$z")).isFalse();
        assertThat(ClientSecrets.verifies("secret", "pbkdf2-sha256$999999999$AA$AA")).isFalse();
    }

    /** Computed outside Java: Python's hashlib.pbkdf2_hmac('sha256', b'legacy-secret', bytes(range(16)), 10000). */
    @Example
    void a_hash_of_the_pre_bcrypt_format_still_verifies_and_asks_to_be_replaced() {
        String legacy = "pbkdf2-sha256$10000$AAECAwQFBgcICQoLDA0ODw$TU8gH7gu1SOaNj7MbBEBvayIbhs9wroJdS7mU8aYEh4";
        assertThat(ClientSecrets.verifies("legacy-secret", legacy)).isTrue();
        assertThat(ClientSecrets.verifies("legacy-secreT", legacy)).isFalse();
        assertThat(ClientSecrets.needsRehash(legacy)).isTrue();
    }
}
