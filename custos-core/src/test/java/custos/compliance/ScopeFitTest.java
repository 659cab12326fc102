package custos.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import custos.partner.Purpose;
import custos.data.Scope;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScopeFitTest {

    private static Purpose purpose(String code, String... scopes) {
        return new Purpose(1, 1, code, code, Set.of(scopes).stream().map(Scope::parse).collect(Collectors.toSet()), false,
                null);
    }

    @Test
    void payingAFriendFromAConversationNeedsNeitherReadingNorDeletingMessages() {
        assertThat(ScopeFit.outOfLine(purpose("pay-friends-in-messages", "messages:read", "messages:write",
                "messages:delete", "friends:read", "profile:read"))).containsExactly("messages:delete", "messages:read");
    }

    @Test
    void recommendingToFriendsDoesNotFitDeletingMessages() {
        assertThat(ScopeFit.outOfLine(purpose("recommend-to-friends", "messages:delete", "friends:read",
                "messages:write"))).containsExactly("messages:delete");
    }

    @Test
    void aPurposeGrantedOnlyWhatItsJobNeedsHasNothingOutOfLine() {
        assertThat(ScopeFit.outOfLine(purpose("share-in-messages", "messages:read", "messages:write",
                "messages:delete"))).isEmpty();
        assertThat(ScopeFit.outOfLine(purpose("friend-contact-sync", "profile:read", "profile.contact:read",
                "friends:read"))).isEmpty();
    }

    @Test
    void anUnlistedPurposeFitsReadsAndSendingMessagesButNoDeletionOrOtherWrite() {
        assertThat(ScopeFit.outOfLine(purpose("something-new", "contacts:read", "messages:write", "messages:delete",
                "calendar:write"))).containsExactly("calendar:write", "messages:delete");
    }
}
