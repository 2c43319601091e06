// One request through the gateway, as the log, the GUI and history see it. A value type: it
// crosses from worker threads to the GUI thread by queued signal.
#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace quarry::telemetry {

struct TokenCounts
{
    qint64 input = 0;
    qint64 output = 0;
    qint64 cacheRead = 0;
    qint64 cacheWrite = 0;
    qint64 total() const { return input + output; }
};

struct TrafficRecord
{
    QDateTime started;
    QString client;      // "127.0.0.1:53122"
    QString method;
    QString path;        // without the query string
    QString route;       // "namespace/name" of the HTTPRoute, empty when none matched
    QString backend;     // "namespace/name"
    QString model;
    int status = 0;
    bool streamed = false;
    qint64 latencyMs = 0;
    qint64 timeToFirstTokenMs = -1; // -1 when no token was produced
    TokenCounts tokens;
    QString stopReason;  // Bedrock's stopReason
    QString error;       // the message the client got, when status >= 400 or the stream failed

    // One line for `quarry serve`'s log: never bodies, headers or credentials.
    QString toLogLine() const;
};

} // namespace quarry::telemetry

Q_DECLARE_METATYPE(quarry::telemetry::TrafficRecord)
