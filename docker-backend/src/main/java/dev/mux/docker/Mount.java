package dev.mux.docker;

import java.nio.file.Path;

/** A host path bind-mounted into a container. */
record Mount(Path source, String target, boolean readOnly) {

  com.github.dockerjava.api.model.Mount toDocker() {
    return new com.github.dockerjava.api.model.Mount()
        .withType(com.github.dockerjava.api.model.MountType.BIND)
        .withSource(source.toString())
        .withTarget(target)
        .withReadOnly(readOnly);
  }
}
