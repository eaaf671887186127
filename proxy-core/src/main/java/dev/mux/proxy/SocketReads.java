package dev.mux.proxy;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;

/**
 * How much one socket read may take, for every channel of the proxy (clients, pooled upstreams,
 * blind tunnels).
 *
 * <p>Every channel runs with auto-read off, so that a slow reader holds back its peer; Netty then
 * performs exactly one {@code recv} per {@code read()} call. With Netty's default ceiling of 64 KiB
 * a bulk transfer cost one read-complete, one flush through TLS, one writev and one writability
 * round trip per 64 KiB (counted: ~12 000 per second at 800 MB/s). Letting a read take up to
 * 1 MiB when that much is queued — the buffer starts small and grows only while reads fill it —
 * cut the proxy's CPU per relayed megabyte by about a third (BENCHMARKS.md). Idle and interactive
 * connections keep small buffers.
 */
final class SocketReads {
    static final int MAX_READ_BYTES = 1 << 20;

    private static final RecvByteBufAllocator ALLOCATOR = new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ_BYTES);

    private SocketReads() {}

    static RecvByteBufAllocator allocator() {
        return ALLOCATOR;
    }
}
