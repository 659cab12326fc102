package custos.people;

/** An entry of a person's address book (the people they know, on the platform or not). */
public record Contact(long id, long ownerId, String name, String email, String phone) {}
