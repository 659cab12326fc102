package custos.server.console;

/** A signed-in operator or auditor of the console. */
public record Staff(long id, String login, StaffRole role) {
    public boolean mayAct() {
        return role == StaffRole.OPERATOR;
    }
}
