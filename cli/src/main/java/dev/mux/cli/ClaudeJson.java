package dev.mux.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/** {@code claude.json} in the state folder: mounted into containers so Claude Code skips onboarding. */
final class ClaudeJson {
  static final String CONTENT = "{\"hasCompletedOnboarding\": true}\n";

  private ClaudeJson() {}

  static void ensureExists(StateFolder state) {
    try {
      Files.writeString(state.claudeJson(), CONTENT, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      // keep the user's (and Claude Code's) edits
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + state.claudeJson(), e);
    }
  }
}
