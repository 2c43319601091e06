// Where a backend's Bedrock Runtime calls go, and how each call is authenticated.
#pragma once

#include "gateway/BedrockCredentials.h"
#include "gateway/upstream/Destination.h"

#include <QByteArray>
#include <QList>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

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
    // `encodedPath` is already percent-encoded, e.g. "/model/amazon.titan-text-lite-v1%3A0/converse".
    QUrl url(const QByteArray &encodedPath) const;

    // A ready-to-send POST: content type, accept, and the SigV4 signature or bearer token.
    // `extraHeaders` are sent and signed too.
    QNetworkRequest signedPost(const QByteArray &encodedPath, const QByteArray &body, const QByteArray &accept,
                               const BedrockCredentials &credentials, const QDateTime &now,
                               const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {}) const;

    // Any method: GET for the control plane (no body, no content type), POST as above with
    // `contentType`. `encodedPath` may carry a query ("/inference-profiles?nextToken=..."), signed
    // as SigV4's canonical query.
    QNetworkRequest signedRequest(const QByteArray &method, const QByteArray &encodedPath, const QByteArray &body,
                                  const QByteArray &contentType, const QByteArray &accept,
                                  const BedrockCredentials &credentials, const QDateTime &now,
                                  const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {}) const;
};

} // namespace quarry::gateway
