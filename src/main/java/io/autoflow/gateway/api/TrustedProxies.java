package io.autoflow.gateway.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;

/**
 * The address of the client behind a request, for open mode (no API keys), where the address is the
 * client's identity. Behind a load balancer every request comes from the balancer, so all clients would
 * share one rate limit and one set of sessions: when the direct peer is a trusted proxy
 * ({@code gateway.trusted-proxies}), the client is the right-most {@code X-Forwarded-For} address that is
 * not itself a trusted proxy. From any other peer the header is ignored, so clients cannot pick an identity.
 */
public final class TrustedProxies {

    private final List<IpSubnetFilterRule> proxies;

    private TrustedProxies(List<IpSubnetFilterRule> proxies) {
        this.proxies = List.copyOf(proxies);
    }

    /** Parses addresses and CIDR ranges separated by commas, e.g. {@code 10.0.0.0/8, 192.168.1.5, ::1}. */
    public static TrustedProxies fromSpec(String spec) {
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        if (spec != null) {
            for (String entry : spec.split(",")) {
                String e = entry.trim();
                if (e.isEmpty()) {
                    continue;
                }
                int slash = e.indexOf('/');
                String address = slash < 0 ? e : e.substring(0, slash);
                InetAddress ip = NetUtil.createInetAddressFromIpAddressString(address);
                if (ip == null) {
                    throw new IllegalArgumentException("gateway.trusted-proxies: not an IP address or CIDR range: " + e);
                }
                int prefix;
                try {
                    prefix = slash < 0 ? ip.getAddress().length * 8 : Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("gateway.trusted-proxies: bad prefix length in " + e, ex);
                }
                rules.add(new IpSubnetFilterRule(ip, prefix, IpFilterRuleType.ACCEPT));
            }
        }
        return new TrustedProxies(rules);
    }

    /** The client's address: the peer's, or the forwarded one when the peer is a trusted proxy. */
    public String clientAddress(HttpServerRequest request) {
        if (request == null || request.remoteAddress() == null) {
            return "unknown";
        }
        String peer = request.remoteAddress().hostAddress();
        if (proxies.isEmpty() || !trusted(NetUtil.createInetAddressFromIpAddressString(peer))) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : request.headers().getAll("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = NetUtil.createInetAddressFromIpAddressString(hops.get(i));
            if (hop == null) {
                // Not an address (a name, "unknown", garbage): what lies left of it cannot be trusted.
                return client;
            }
            client = hops.get(i);
            if (!trusted(hop)) {
                return client;
            }
        }
        return client;
    }

    private boolean trusted(InetAddress address) {
        if (address == null) {
            return false;
        }
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        for (IpSubnetFilterRule rule : proxies) {
            if (rule.matches(socket)) {
                return true;
            }
        }
        return false;
    }
}
