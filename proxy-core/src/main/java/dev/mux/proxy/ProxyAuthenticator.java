package dev.mux.proxy;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Decides who a proxy client is from the user name and password it sent in
 * {@code Proxy-Authorization: Basic …}. The result is the client's session id, which the proxy
 * passes to the credential rules and writes to every audit record. An empty result makes the proxy
 * answer {@code 407 Proxy Authentication Required}.
 *
 * <p>Called on a Netty event loop for every CONNECT (and every plain-HTTP request), so it must be
 * fast and must not block.
 */
@FunctionalInterface
public interface ProxyAuthenticator {

    /**
     * Returns the session id for these credentials, or empty when they are wrong.
     *
     * @param user the user name the client sent (never null, may be empty)
     * @param password the password the client sent (never null, may be empty)
     */
    Optional<String> authenticate(String user, String password);

    /**
     * An authenticator accepting exactly one user name and password (compared in constant time),
     * answering with {@code sessionId}.
     */
    static ProxyAuthenticator single(String user, String password, String sessionId) {
        requireNonNull(user, "user");
        requireNonNull(password, "password");
        requireNonNull(sessionId, "sessionId");
        byte[] expectedUser = user.getBytes(StandardCharsets.UTF_8);
        byte[] expectedPassword = password.getBytes(StandardCharsets.UTF_8);
        return (u, p) -> {
            boolean userOk = MessageDigest.isEqual(expectedUser, u.getBytes(StandardCharsets.UTF_8));
            boolean passwordOk = MessageDigest.isEqual(expectedPassword, p.getBytes(StandardCharsets.UTF_8));
            return userOk && passwordOk ? Optional.of(sessionId) : Optional.empty();
        };
    }
}
