// HttpCall: one asynchronous request through the caller's QNetworkAccessManager, reduced to status + body.
#pragma once

#include <QByteArray>
#include <QNetworkRequest>
#include <QString>

#include <functional>

class QNetworkAccessManager;

namespace quarry::aws {

struct HttpOutcome
{
    int status = 0; // 0 when no HTTP response arrived
    QByteArray body;
    QString networkError; // set when status == 0
};

class HttpCall
{
public:
    // `done` runs on the manager's thread when the reply finishes or after `timeoutMs` without progress.
    static void send(QNetworkAccessManager *network, QNetworkRequest request, const QByteArray &verb,
                     const QByteArray &body, int timeoutMs, std::function<void(HttpOutcome)> done);
};

} // namespace quarry::aws
