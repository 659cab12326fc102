package custos.server.config;

import java.util.List;

/** Every mistake found in the configuration at once, one line each, so an operator fixes them in one go. */
public final class InvalidSettings extends RuntimeException {
    private final List<String> problems;

    InvalidSettings(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
