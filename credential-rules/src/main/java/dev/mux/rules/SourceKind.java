package dev.mux.rules;

/** Where a credential was found; {@link #NONE} when it was not. */
public enum SourceKind {
  /** A host environment variable of the credential's name. */
  ENV,
  /** The file {@code <home>/secrets/<name>}. */
  FILE,
  /** The output of a configured command, such as a password manager's CLI. */
  COMMAND,
  /** Not found (or refused, e.g. a secret file readable by others). */
  NONE
}
