package custos.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A throw-away database's URL names that database, whatever the store's URL said: never the store's own. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ScratchUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "jdbc:postgresql://db.example:5432/custos jdbc:postgresql://db.example:5432/scratch",
        "jdbc:postgresql://db.example:5432/custos?sslmode=require jdbc:postgresql://db.example:5432/scratch?sslmode=require",
        "jdbc:postgresql://db.example:5432 jdbc:postgresql://db.example:5432/scratch",
        "jdbc:postgresql://db.example/?user=custos jdbc:postgresql://db.example/scratch?user=custos",
        "jdbc:postgresql://a:5432,b:5433/custos jdbc:postgresql://a:5432,b:5433/scratch"})
    void theDatabaseIsReplacedWhereverTheUrlNamesIt(String store, String scratch) {
        assertThat(Database.scratchUrl(store, "scratch")).isEqualTo(scratch);
    }
}
