package custos.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.console.StaffAccounts;
import custos.server.console.StaffRole;
import custos.server.store.Database;
import custos.server.store.TestStores;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DemoStaffTest {
    @Test
    void theDemosOperatorAndAuditorSignInWithTheSeedsPasswordsAtEveryStart() {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            StaffAccounts accounts = new StaffAccounts(db.jdbi(), Clock.systemUTC());
            var staff = DemoStaff.forWorld(1);
            assertThat(staff).extracting(DemoStaff::login, DemoStaff::role)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("operator", StaffRole.OPERATOR),
                            org.assertj.core.groups.Tuple.tuple("auditor", StaffRole.AUDITOR));
            assertThat(DemoStaff.forWorld(1)).isEqualTo(staff);
            assertThat(DemoStaff.forWorld(2).get(0).password()).isNotEqualTo(staff.get(0).password());
            staff.forEach(s -> s.install(accounts));
            staff.forEach(s -> s.install(accounts)); // the next start: same logins, nothing added
            assertThat(accounts.all()).hasSize(2);
            for (DemoStaff s : staff) {
                assertThat(accounts.verify(s.login(), s.password())).hasValue(accounts.byLogin(s.login()).orElseThrow().id());
                assertThat(accounts.verify(s.login(), s.password() + "x")).isEmpty();
            }
        } finally {
            target.cleanup().run();
        }
    }
}
