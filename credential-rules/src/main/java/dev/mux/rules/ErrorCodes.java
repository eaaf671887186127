package dev.mux.rules;

/** The {@code errorCode} values of {@link Decision.Refuse} and {@link ConnectDecision.Refuse}. */
public final class ErrorCodes {

  /** A rule names the host but its credential is not configured on the host machine. */
  public static final String CREDENTIAL_MISSING = "CREDENTIAL_MISSING";

  /** The session's policy does not allow this host. */
  public static final String HOST_NOT_ALLOWED = "HOST_NOT_ALLOWED";

  /** The session's policy makes the host read-only and the method is not GET, HEAD or OPTIONS. */
  public static final String READ_ONLY = "READ_ONLY";

  /** The session's policy does not allow the credential the host's rule would inject. */
  public static final String CREDENTIAL_NOT_ALLOWED = "CREDENTIAL_NOT_ALLOWED";

  /**
   * The request carries one of mux's placeholders to an intercepted host that no active rule
   * covers, so nothing would replace it.
   */
  public static final String PLACEHOLDER_WITHOUT_RULE = "PLACEHOLDER_WITHOUT_RULE";

  private ErrorCodes() {}
}
