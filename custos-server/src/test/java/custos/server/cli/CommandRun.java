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
}
