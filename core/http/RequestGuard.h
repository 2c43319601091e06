// The one place where requests are checked before any handler: Host (DNS rebinding) and Origin (CSRF).
#pragma once

#include "http/HttpRequest.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace quarry::http {

class RequestGuard
{
public:
    struct Rejection
    {
        int status;
        QByteArray body; // JSON, the OpenAI error shape
    };

    RequestGuard(bool checkHost, QList<QByteArray> allowedOrigins, quint16 listeningPort);

    // nullopt when the request may reach a handler.
    std::optional<Rejection> check(const HttpRequest &request, int httpVersion, int hostFieldCount) const;

    // Whether `host` (a Host header value) names this machine's loopback listener.
    bool isAllowedHost(QByteArrayView host) const;

private:
    bool m_checkHost;
    QList<QByteArray> m_allowedOrigins;
    QByteArray m_port; // decimal, as it must appear after ':'
};

} // namespace quarry::http
