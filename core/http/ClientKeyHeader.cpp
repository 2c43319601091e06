// Reading (and dropping) the client-key headers.
#include "http/ClientKeyHeader.h"

namespace quarry::http {

QByteArray presentedClientKey(const HttpRequest &request)
{
    if (const QByteArray apiKey = request.header("x-api-key").trimmed(); !apiKey.isEmpty())
        return apiKey;
    const QByteArray authorization = request.header("authorization").trimmed();
    constexpr QByteArrayView scheme = "bearer ";
    if (authorization.size() > scheme.size() && authorization.first(scheme.size()).toLower() == scheme)
        return authorization.mid(scheme.size()).trimmed();
    return {};
}

void dropClientKeyHeaders(HttpRequest &request)
{
    request.headers.removeIf([](const HttpHeader &header) {
        const QByteArray name = header.name.toLower();
        return name == "x-api-key" || name == "authorization";
    });
}

} // namespace quarry::http
