package custos;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void coreDependsOnNoFrameworkNoJdbcAndNoMigrationTool() {
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("custos");
        noClasses().that().resideInAPackage("custos..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.helidon..", "org.jdbi..", "java.sql..", "javax.sql..", "com.zaxxer..", "org.flywaydb..")
                .check(core);
    }

    /**
     * The capabilities depend on each other one way: the vocabulary ({@code custos.data}) on nothing, consents, partners
     * and people on it, the engine on them, the log and compliance on the engine. Scope and DataCategory once lived in
     * the engine's package, so consents needed the engine that needed consents.
     */
    @Test
    void theCapabilityPackagesHaveNoCycles() {
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("custos");
        slices().matching("custos.(*)..").should().beFreeOfCycles().check(core);
    }
}
