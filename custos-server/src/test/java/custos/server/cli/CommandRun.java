package custos.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the {@code custos} command in this JVM: its exit code and what it printed on each stream. */
public record CommandRun(int exit, String out, String err) {
    public static CommandRun of(String... args) {
        CommandLine cl = CustosCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new CommandRun(cl.execute(args), out.toString(), err.toString());
    }

    /** A run with {@code input} as its standard input (a password read from a pipe). */
    static CommandRun withStdin(String input, String... args) {
        java.io.InputStream saved = System.in;
        System.setIn(new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return of(args);
        } finally {
            System.setIn(saved);
        }
    }

    /** One value of a query on the embedded store in {@code data}, opened for the query. */
    static String query(String data, String sql) {
        try (custos.server.store.Database db = custos.server.store.Database.open(
                custos.server.store.DbConfig.embedded(java.nio.file.Path.of(data)))) {
            return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
        }
    }
}
