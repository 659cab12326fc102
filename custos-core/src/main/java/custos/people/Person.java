package custos.people;

import java.time.LocalDate;

/** A person on the platform: the data subject. */
public record Person(long id, String name, String city, String email, String phone, LocalDate joinedOn) {}
