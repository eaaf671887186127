package dev.mux.docker;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action when the terminal window changes size (SIGWINCH). Uses {@code sun.misc.Signal}
 * (module jdk.unsupported) through reflection, so builds stay warning-free; where it is
 * unavailable, resizing is simply not forwarded.
 */
final class WindowChange {
  private static final Logger log = LoggerFactory.getLogger(WindowChange.class);

  private WindowChange() {}

  /** Undoes {@link #onChange}. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** Installs {@code action} for SIGWINCH; closing restores the previous handler. */
  static Registration onChange(Runnable action) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object signal = signalClass.getConstructor(String.class).newInstance("WINCH");
      Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
          (proxy, method, args) -> {
            switch (method.getName()) {
              case "handle":
                runQuietly(action);
                return null;
              case "hashCode":
                return System.identityHashCode(proxy);
              case "equals":
                return proxy == args[0];
              case "toString":
                return "mux window change handler";
              default:
                return null;
            }
          });
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      Object previous = handle.invoke(null, signal, handler);
      return () -> {
        try {
          handle.invoke(null, signal, previous);
        } catch (ReflectiveOperationException e) {
          log.debug("restoring the SIGWINCH handler failed", e);
        }
      };
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      log.debug("window size changes will not be forwarded", e);
      return () -> { };
    }
  }

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.debug("forwarding the window size failed", e);
    }
  }
}
