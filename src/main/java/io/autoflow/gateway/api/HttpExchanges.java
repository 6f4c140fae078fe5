package io.autoflow.gateway.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/** What every step needs from the HTTP side of an exchange: the request id, the raw Vert.x objects, a JSON answer. */
public final class HttpExchanges {

    public static final String REQUEST_ID = "X-Request-Id";
    public static final String SESSION_ID = "X-Session-Id";
    private static final String REQUEST_ID_PROPERTY = "gateway.requestId";
    private static final String HTTP_REQUEST_PROPERTY = "gateway.httpRequest";
    private static final String HTTP_RESPONSE_PROPERTY = "gateway.httpResponse";
    private static final String EXTRA_HEADERS_PROPERTY = "gateway.extraHeaders";
    // A client's id is echoed in headers and logs: accept only short, plain tokens.
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private HttpExchanges() {
    }

    /** The client's X-Request-Id when it is a safe token, else a new one; the same for the whole exchange. */
    public static String requestId(Exchange exchange) {
        String id = exchange.getProperty(REQUEST_ID_PROPERTY, String.class);
        if (id == null) {
            String sent = safeRequestId(exchange.getIn().getHeader(REQUEST_ID, String.class));
            id = sent != null ? sent : UUID.randomUUID().toString();
            exchange.setProperty(REQUEST_ID_PROPERTY, id);
        }
        return id;
    }

    /** The client's request id when it is a plain token, else null. */
    public static String safeRequestId(String sent) {
        return sent != null && SAFE_ID.matcher(sent).matches() ? sent : null;
    }

    /**
     * Captures the Vert.x request and response while the message is still platform-http's own: a later
     * {@code to} replaces the message object.
     */
    public static void capture(Exchange exchange) {
        requestId(exchange);
        Message message = exchange.getMessage();
        if (message instanceof HttpMessage http && exchange.getProperty(HTTP_RESPONSE_PROPERTY) == null) {
            exchange.setProperty(HTTP_REQUEST_PROPERTY, http.getRequest());
            exchange.setProperty(HTTP_RESPONSE_PROPERTY, http.getResponse());
        }
    }

    public static HttpServerResponse response(Exchange exchange) {
        capture(exchange);
        return exchange.getProperty(HTTP_RESPONSE_PROPERTY, HttpServerResponse.class);
    }

    public static HttpServerRequest request(Exchange exchange) {
        capture(exchange);
        return exchange.getProperty(HTTP_REQUEST_PROPERTY, HttpServerRequest.class);
    }

    /**
     * Sets a JSON answer. Inbound headers are dropped first: platform-http would otherwise echo them
     * (an Authorization or X-API-Key among them) back in the response.
     */
    public static void json(Exchange exchange, int status, String body) {
        String requestId = requestId(exchange);
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        out.setHeader(REQUEST_ID, requestId);
        extraHeaders(exchange).forEach(out::setHeader);
        out.setBody(body);
        if (body != null) {
            exchange.setProperty("gateway.responseBytes", (long) body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    /** Headers every answer to this request carries, streamed or not (RateLimit-*, X-Session-Id). */
    public static void addHeader(Exchange exchange, String name, String value) {
        @SuppressWarnings("unchecked")
        Map<String, String> headers = exchange.getProperty(EXTRA_HEADERS_PROPERTY, Map.class);
        if (headers == null) {
            headers = new LinkedHashMap<>();
            exchange.setProperty(EXTRA_HEADERS_PROPERTY, headers);
        }
        headers.put(name, value);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, String> extraHeaders(Exchange exchange) {
        Map<String, String> headers = exchange.getProperty(EXTRA_HEADERS_PROPERTY, Map.class);
        return headers == null ? Map.of() : headers;
    }

    public static void empty(Exchange exchange, int status) {
        json(exchange, status, null);
        exchange.getMessage().removeHeader(Exchange.CONTENT_TYPE);
    }
}
