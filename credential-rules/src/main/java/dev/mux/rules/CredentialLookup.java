package dev.mux.rules;

/** The outcome of looking a credential up in its sources: found, or missing with a reason. */
sealed interface CredentialLookup permits CredentialLookup.Found, CredentialLookup.Missing {

  /** {@code name} was found in {@code source}. */
  record Found(String name, Secret secret, SourceKind source) implements CredentialLookup {}

  /**
   * Nothing usable was found for {@code name} (the rule's main credential).
   *
   * @param reason what is wrong and what to do, naming variable and file; never a value
   */
  record Missing(String name, String reason) implements CredentialLookup {}
}
