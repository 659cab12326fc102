package custos.consent;

/** A state a consent record passes through; its history lists them with their times. */
public enum ConsentState { GIVEN, RENEWED, EXPIRED, WITHDRAWN }
