package custos.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's layering: HTTP plumbing knows no feature, the JDBC store adapters know no web layer, nothing but the
 * composition root and the command reach the command, and features reach each other only through core ports.
 */
@Timeout(120)
class ServerArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("custos.server");
    }

    @Test
    void httpPlumbingKnowsNoFeature() {
        noClasses().that().resideInAPackage("custos.server.http..")
                .should().dependOnClassesThat().resideInAnyPackage("custos.server.api..", "custos.server.account..",
                        "custos.server.oauth..", "custos.server.pages..", "custos.server.audit..", "custos.server.policy..",
                        "custos.server.cli..", "custos.server.store..", "custos.server.demo..", "custos.server.replay..")
                .check(classes);
    }

    @Test
    void storeAdaptersKnowNoWebLayer() {
        noClasses().that().resideInAPackage("custos.server.store..")
                .should().dependOnClassesThat().resideInAnyPackage("custos.server.http..", "custos.server.api..",
                        "custos.server.account..", "custos.server.oauth..", "custos.server.pages..", "custos.server.cli..")
                .check(classes);
    }

    @Test
    void onlyTheCommandReachesTheCommand() {
        noClasses().that().resideOutsideOfPackage("custos.server.cli..")
                .should().dependOnClassesThat().resideInAPackage("custos.server.cli..")
                .check(classes);
    }

    @Test
    void thePartnerApiDoesNotReachIntoPeoplesPages() {
        noClasses().that().resideInAPackage("custos.server.api..")
                .should().dependOnClassesThat().resideInAnyPackage("custos.server.account..", "custos.server.pages..")
                .check(classes);
    }
}
