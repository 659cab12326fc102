package custos.people;

/** Who on the platform may see a data category of a person. */
public enum Visibility { ONLY_ME, FRIENDS, PUBLIC }
