package custos;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
}
