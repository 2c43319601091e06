// HttpCall: wraps QNetworkReply's finished() so providers only see a status and a body.
#include "aws/credentials/HttpCall.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace quarry::aws {

void HttpCall::send(QNetworkAccessManager *network, QNetworkRequest request, const QByteArray &verb,
                    const QByteArray &body, int timeoutMs, std::function<void(HttpOutcome)> done)
{
    request.setTransferTimeout(timeoutMs);
    // Credential endpoints must answer themselves; a redirect could carry a token elsewhere.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = network->sendCustomRequest(request, verb, body);
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, done = std::move(done)] {
        HttpOutcome outcome;
        outcome.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        outcome.body = reply->readAll();
        if (outcome.status == 0)
            outcome.networkError = reply->errorString();
        reply->deleteLater();
        done(std::move(outcome));
    });
}

} // namespace quarry::aws
