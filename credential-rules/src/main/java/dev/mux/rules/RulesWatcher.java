package dev.mux.rules;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads rules when the config file or a secret file changes. Editors often replace a file by
 * renaming a new one over it, so the watcher follows folders, not files.
 */
final class RulesWatcher implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(RulesWatcher.class);
  /** Events closer than this are one change (an editor writes, renames and touches). */
  private static final long QUIET_MILLIS = 100;

  private final CredentialRules rules;
  private final @Nullable Path configFile;
  private final Path secretsDir;
  private final WatchService service;
  private final Map<WatchKey, Path> folders = new ConcurrentHashMap<>();
  private final Thread thread;

  private RulesWatcher(CredentialRules rules, @Nullable Path configFile, Path secretsDir) throws IOException {
    this.rules = rules;
    this.configFile = configFile == null ? null : configFile.toAbsolutePath().normalize();
    this.secretsDir = secretsDir.toAbsolutePath().normalize();
    this.service = this.secretsDir.getFileSystem().newWatchService();
    if (this.configFile != null && this.configFile.getParent() != null && Files.isDirectory(this.configFile.getParent())) {
      register(this.configFile.getParent());
    }
    if (Files.isDirectory(this.secretsDir)) {
      register(this.secretsDir);
    } else if (this.secretsDir.getParent() != null && Files.isDirectory(this.secretsDir.getParent())) {
      register(this.secretsDir.getParent()); // to notice the secrets folder being created
    }
    this.thread = new Thread(this::run, "mux-rules-watcher");
    thread.setDaemon(true);
  }

  static AutoCloseable start(CredentialRules rules, @Nullable Path configFile, Path secretsDir) {
    try {
      RulesWatcher watcher = new RulesWatcher(rules, configFile, secretsDir);
      watcher.thread.start();
      logger.debug("watching {} and {} for credential rule changes", configFile, secretsDir);
      return watcher;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + configFile + " and " + secretsDir, e);
    }
  }

  private void register(Path folder) throws IOException {
    if (!folders.containsValue(folder)) {
      folders.put(folder.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE), folder);
    }
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = service.take();
        boolean relevant = relevant(key);
        WatchKey more;
        while ((more = service.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) {
          relevant |= relevant(more);
        }
        if (relevant) {
          try {
            rules.reload();
          } catch (ConfigException e) {
            // reload() has logged it and kept the previous rules.
          } catch (RuntimeException e) {
            logger.error("reloading credential rules failed; keeping the previous rules", e);
          }
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  private boolean relevant(WatchKey key) {
    Path folder = folders.get(key);
    boolean relevant = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (folder == null) {
        continue;
      }
      if (event.kind() == OVERFLOW) {
        relevant = true;
        continue;
      }
      Path changed = folder.resolve((Path) event.context());
      if (changed.equals(configFile) || folder.equals(secretsDir)) {
        relevant = true;
      } else if (changed.equals(secretsDir) && Files.isDirectory(secretsDir)) {
        try {
          register(secretsDir);
          relevant = true;
        } catch (IOException e) {
          logger.warn("cannot watch {} ({})", secretsDir, e.toString());
        }
      }
    }
    if (!key.reset()) {
      folders.remove(key);
    }
    return relevant;
  }

  @Override
  public void close() throws IOException {
    service.close();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
