package custos.partner;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class ClientSecretsProperties {

    @Property(tries = 20)
    void a_secret_verifies_against_its_own_hash_only(@ForAll @StringLength(min = 1, max = 40) String secret,
                                                      @ForAll @StringLength(min = 1, max = 40) String other) {
        String hash = ClientSecrets.hash(secret);
        assertThat(hash).startsWith("pbkdf2-sha256$");
        assertThat(ClientSecrets.verifies(secret, hash)).isTrue();
        assertThat(ClientSecrets.verifies(other, hash)).isEqualTo(other.equals(secret));
    }

    @Property(tries = 5)
    void the_same_secret_hashes_differently_each_time(@ForAll @StringLength(min = 1, max = 20) String secret) {
        assertThat(ClientSecrets.hash(secret)).isNotEqualTo(ClientSecrets.hash(secret));
    }

    @Property(tries = 20)
    void a_malformed_hash_never_verifies(@ForAll String garbage) {
        assertThat(ClientSecrets.verifies("secret", garbage)).isFalse();
        assertThat(ClientSecrets.verifies("secret", "pbkdf2-sha256$x$y$z")).isFalse();
    }
}
