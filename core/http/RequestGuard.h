// The one place where requests are checked before any handler: Host (DNS rebinding), Origin and
// Sec-Fetch-Site (CSRF, cross-site requests without Origin), and CORS preflights.
#pragma once

#include "http/HttpRequest.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace quarry::http {

class RequestGuard
{
public:
    // The guard's answer instead of the handler's: a refusal (4xx, JSON in the OpenAI error
    // shape), or 204 with CORS headers for a preflight from an allowed origin.
    struct Rejection
    {
        int status;
        QByteArray body; // JSON, the OpenAI error shape; empty for a preflight
        HttpHeaders headers = {};
    };
    // Preflight answers may be cached by the browser this long (seconds).
    static constexpr int CorsMaxAgeSeconds = 600;

    RequestGuard(bool checkHost, QList<QByteArray> allowedOrigins, quint16 listeningPort);

    // nullopt when the request may reach a handler.
    std::optional<Rejection> check(const HttpRequest &request, int httpVersion, int hostFieldCount) const;

    // Whether `host` (a Host header value) names this machine's loopback listener.
    bool isAllowedHost(QByteArrayView host) const;

    // CORS headers for an actual response to `request`: none unless it carries an allowed Origin.
    HttpHeaders corsHeaders(const HttpRequest &request) const;

private:
    std::optional<Rejection> checkCrossSite(const HttpRequest &request) const;
    bool isAllowedOrigin(const HttpRequest &request) const; // an Origin is present and allowed

    bool m_checkHost;
    QList<QByteArray> m_allowedOrigins;
    QByteArray m_port; // decimal, as it must appear after ':'
};

} // namespace quarry::http
