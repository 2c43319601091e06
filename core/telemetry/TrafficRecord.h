// One request through the gateway, as the log, the GUI and history see it. A value type: it
// crosses from worker threads to the GUI thread by queued signal.
#pragma once

#include "telemetry/HeaderBlock.h"
#include "util/TokenUsage.h"

#include <QDateTime>
#include <QMetaType>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>

namespace quarry::telemetry {

// A message as it crossed the gateway, for the GUI's inspectors: headers with credentials
// redacted, and the body (cut at CapturedMessage::MaxBody bytes). Never logged.
struct CapturedMessage
{
    static constexpr qsizetype MaxBody = 256 * 1024;

    using WireHeaders = QList<QPair<QByteArray, QByteArray>>;
    using Headers = QList<QPair<QString, QString>>;

    QString startLine;                         // "POST /bedrock HTTP/1.1", "HTTP/1.1 200", ...
    QByteArray body;
    bool truncated = false;

    // The headers as they crossed the wire, credentials replaced at once, kept as bytes in one
    // block (HeaderBlock.h) and made text only when shown: most records never are.
    void setHeaders(HeaderBlock headers) { m_headers = std::move(headers); }
    void setWireHeaders(const WireHeaders &headers) { m_headers = HeaderBlock(headers); }
    // Headers in their shown form (read back from history's oldest blobs).
    void setShownHeaders(const Headers &headers);
    // Credentials redacted: what the inspectors, history and exports show.
    Headers headers() const;
    const HeaderBlock &headerBlock() const { return m_headers; }

    void setBody(const QByteArray &bytes);
    void appendBody(const QByteArray &bytes);
    bool isEmpty() const { return startLine.isEmpty() && body.isEmpty(); }
    // What this capture holds in memory (body as allocated, start line, headers), for budgets.
    qsizetype memoryBytes() const;
    // Gives back the body's unused capacity (streams grow it geometrically as events arrive).
    void squeeze();

private:
    HeaderBlock m_headers;
};

struct TrafficRecord
{
    quint64 id = 0;      // also sent to the client as x-quarry-request-id
    QDateTime started;
    QString client;      // "127.0.0.1:53122"
    QString method;
    QString path;        // without the query string
    QString route;       // "namespace/name" of the HTTPRoute, empty when none matched
    QString backend;     // "namespace/name"
    QString api;         // the client API, as policies.ai.routes names it ("Completions", "Messages",
                         // "Responses", "Passthrough", ...); empty when no route matched
    QString provider;    // which provider of the backend's groups answered (failover), if named
    QString region;      // the AWS Region of the provider that answered (it sets the price)
    QString simulatorCredentials; // the simulator answered: where the key it was signed with came from
    QString model;
    int status = 0;
    bool streamed = false;
    qint64 latencyMs = 0;
    qint64 timeToFirstTokenMs = -1; // -1 when no token was produced
    TokenUsage tokens;
    double costUsd = -1; // what the tokens cost at the pricing table's rates; -1 when not priced
    QString stopReason;  // Bedrock's stopReason
    QString error;       // the message the client got, when status >= 400 or the stream failed
    QStringList droppedParameters; // request fields with no Bedrock meaning, not forwarded

    CapturedMessage clientRequest;   // what the client sent
    CapturedMessage clientResponse;  // what Quarry answered (for streams: the SSE events)
    CapturedMessage upstreamRequest; // what Quarry sent to Bedrock (signature redacted)
    CapturedMessage upstreamResponse; // what Bedrock answered (event streams decoded to JSON lines)
    bool capturesDropped = false;     // the four captures were let go to keep a memory budget

    qsizetype captureBytes() const;
    // Empties the four captures and frees their memory; the record's other fields stay.
    void dropCaptures();

    // One line for `quarry serve`'s log: never bodies, headers or credentials.
    QString toLogLine() const;
};

// A finished request as the gateway hands it on: made once on the worker that finished it, then
// shared read-only by the history queue and the traffic sink. A copy for each (about thirty
// strings and lists) cost a percent or two of a proxied request's CPU, on the worker and again
// where the copy was freed.
using SharedTrafficRecord = std::shared_ptr<const TrafficRecord>;

} // namespace quarry::telemetry

Q_DECLARE_METATYPE(quarry::telemetry::TrafficRecord)
Q_DECLARE_METATYPE(quarry::telemetry::SharedTrafficRecord)
