// Where a backend's Bedrock Runtime calls go, and how each call is authenticated.
#pragma once

#include "gateway/BedrockCredentials.h"
#include "gateway/upstream/Destination.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace quarry::gateway {

struct BedrockEndpoint
{
    QString region = QStringLiteral("us-east-1");
    QString scheme = QStringLiteral("https");
    QString host;         // bedrock-runtime.<region>.amazonaws.com unless overridden
    int port = 443;
    QString pathPrefix;   // provider `path` override, prepended to /model/...
    upstream::UpstreamTls tls; // spec.policies.tls (https only)

    // Where the connection goes, as the connection pool keys it.
    upstream::Destination destination() const { return {scheme, host, port, tls}; }

    static BedrockEndpoint forRegion(const QString &region);

    // The Host header as the HTTP stack sends it: the port only when it is not the scheme's default.
    QByteArray hostHeader() const;

    // What goes on the wire for one call, signed: the request line's target and the headers.
    struct SignedRequest
    {
        QByteArray target; // the path prefix, `encodedPath` and its query, percent-encoded
        QList<QPair<QByteArray, QByteArray>> headers; // Host first; the signature or bearer token last
    };
    // Any method: GET for the control plane (no body, no content type), POST with `contentType`.
    // `encodedPath` is already percent-encoded ("/model/amazon.titan-text-lite-v1%3A0/converse") and
    // may carry a query ("/inference-profiles?nextToken=..."), signed as SigV4's canonical query.
    // `extraHeaders` are sent and signed too. Built by hand, not through QUrl and QNetworkRequest:
    // this runs for every request, and those two were a twentieth of a request's instructions.
    SignedRequest signedRequest(const QByteArray &method, const QByteArray &encodedPath, const QByteArray &body,
                                const QByteArray &contentType, const QByteArray &accept,
                                const BedrockCredentials &credentials, const QDateTime &now,
                                const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {}) const;
};

} // namespace quarry::gateway
